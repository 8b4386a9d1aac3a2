package io.github.threadlens.blocking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.github.threadlens.testsupport.Jdk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class JdkThreadDumpTests {

	@Test
	void foundFromJdk21Only() {
		assertThat(JdkThreadDump.ofThisJvm() != null).isEqualTo(Runtime.version().feature() >= 21);
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = Jdk.NEEDS_21)
	void readsTheJsonDumpAndLeavesNoFileBehind() throws IOException {
		JdkThreadDump dump = JdkThreadDump.ofThisJvm();
		String json = dump.read((in) -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
		assertThat(json).contains("\"threadContainers\"").contains("\"" + Thread.currentThread().getName() + "\"");
		assertThat(dumpFiles()).isEmpty();
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = Jdk.NEEDS_21)
	void leavesNoFileBehindWhenTheReaderFails() throws IOException {
		JdkThreadDump dump = JdkThreadDump.ofThisJvm();
		assertThatExceptionOfType(UncheckedIOException.class).isThrownBy(() -> dump.read((in) -> {
			throw new IOException("unreadable");
		}));
		assertThat(dumpFiles()).isEmpty();
	}

	private static List<String> dumpFiles() throws IOException {
		try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
			return files.map((file) -> file.getFileName().toString())
				.filter((name) -> name.startsWith("threadlens-dump"))
				.toList();
		}
	}

}
