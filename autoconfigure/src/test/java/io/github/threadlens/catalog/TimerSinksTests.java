package io.github.threadlens.catalog;

import java.time.Duration;
import java.util.List;

import io.github.threadlens.testsupport.RecordingTimerSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@ExtendWith(OutputCaptureExtension.class)
class TimerSinksTests {

	private static final List<Duration> BUCKETS = List.of(Duration.ofMillis(1));

	@Test
	void aFailingSinkNeitherThrowsNorStopsTheOthers(CapturedOutput output) {
		RecordingTimerSink working = new RecordingTimerSink();
		TimerSink failing = (definition, tags, buckets) -> (nanos) -> {
			throw new IllegalStateException("sink is broken");
		};
		DurationRecorder recorder = new TimerSinks(List.of(failing, working)).timer(ThreadLensMeters.EXECUTOR,
				List.of("guarded"), BUCKETS);
		recorder.record(5);
		recorder.record(7);
		assertThat(working.recorded(ThreadLensMeters.EXECUTOR, "guarded")).containsExactly(5L, 7L);
		assertThat(output).containsOnlyOnce("Recording into executor[guarded]").contains("sink is broken");
	}

	@Test
	void onlyTimersHaveRecorders() {
		assertThatIllegalArgumentException().isThrownBy(() -> new TimerSinks(List.of())
			.timer(ThreadLensMeters.EXECUTOR_REJECTED, List.of("x"), BUCKETS));
	}

}
