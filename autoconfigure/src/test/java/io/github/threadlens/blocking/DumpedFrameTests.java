package io.github.threadlens.blocking;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DumpedFrameTests {

	@Test
	void readsAFrameAsStackTraceElementWritesIt() {
		StackTraceElement[] frames = { new StackTraceElement("app", null, null, "com.example.Orders$1", "lambda$run$0",
				"Orders.java", 42), new StackTraceElement(null, "java.base", "25", "java.lang.Thread", "sleep0", null, -2),
				new StackTraceElement("com.example.Gen", "call", null, -1),
				new StackTraceElement("com.example.Gen", "call", "Gen.kt", -1) };
		for (StackTraceElement frame : frames) {
			StackTraceElement read = DumpedFrame.parse(frame.toString());
			assertThat(read.getClassName()).isEqualTo(frame.getClassName());
			assertThat(read.getMethodName()).isEqualTo(frame.getMethodName());
			assertThat(read.getFileName()).isEqualTo(frame.getFileName());
			assertThat(read.getLineNumber()).isEqualTo(frame.getLineNumber());
			assertThat(read.isNativeMethod()).isEqualTo(frame.isNativeMethod());
		}
	}

	@Test
	void keepsWhatItCannotReadAsTheMethod() {
		assertThat(DumpedFrame.parse("no frame here").getMethodName()).isEqualTo("no frame here");
		assertThat(DumpedFrame.parse("").getClassName()).isEmpty();
	}

}
