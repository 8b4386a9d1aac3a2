package io.github.threadlens.census;

import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated text of any characters, line breaks of every kind among them: what comes out is
 * one line, within the length asked for, and encodes as UTF-8 without replacement.
 */
class PrintableTextTests {

	@Property(tries = 500)
	void everyTextBecomesOneShortLineOfValidUtf8(@ForAll("texts") String text,
			@ForAll @IntRange(min = 1, max = 300) int maxLength) throws CharacterCodingException {
		String printable = PrintableText.of(text, maxLength);
		assertThat(printable).hasSizeLessThanOrEqualTo(maxLength);
		assertThat(printable.lines()).hasSizeLessThanOrEqualTo(1);
		// Java's '.' stops at every line terminator Unicode names, not only at \n and \r.
		assertThat(printable).matches(".*");
		StandardCharsets.UTF_8.newEncoder()
			.onMalformedInput(CodingErrorAction.REPORT)
			.onUnmappableCharacter(CodingErrorAction.REPORT)
			.encode(CharBuffer.wrap(printable));
	}

	@Property(tries = 500)
	void aTextIsPrintableExactlyWhenNothingInItIsReplaced(@ForAll("texts") String text) {
		assertThat(PrintableText.isPrintable(text)).isEqualTo(PrintableText.of(text, text.length() + 1).equals(text));
	}

	@Property(tries = 200)
	void shortPrintableTextIsKeptAsItIs(@ForAll("printableTexts") String text) {
		assertThat(PrintableText.of(text, 1_000)).isSameAs(text);
		assertThat(PrintableText.isPrintable(text)).isTrue();
	}

	@Example
	void everyLineBreakIsReplaced() {
		assertThat(PrintableText.of("a\nb\rc\u0085d\u2028e\u2029f", 100)).isEqualTo("a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf");
	}

	@Example
	void aSurrogatePairIsCutBeforeRatherThanThrough() {
		assertThat(PrintableText.of("ab\uD83D\uDE00", 3)).isEqualTo("ab");
	}

	@Provide
	Arbitrary<String> texts() {
		return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(400),
				Arbitraries.strings().withChars("ab \n\r\t\u0000\u0085\u2028\u2029\ud83d\ude00\ud800\udc00")
					.ofMaxLength(400));
	}

	@Provide
	Arbitrary<String> printableTexts() {
		return Arbitraries.strings().withCharRange('a', 'z').withChars(" -_.#:()\u00e9\u4e2d").ofMaxLength(200);
	}

}
