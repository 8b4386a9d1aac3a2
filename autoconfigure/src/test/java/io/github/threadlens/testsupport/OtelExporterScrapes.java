package io.github.threadlens.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.MeterKind;
import io.github.threadlens.catalog.ObservedMeter;
import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.catalog.Rows;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.export.otel.OtelCatalogPublisher;
import io.github.threadlens.export.otel.OtelTimerSink;
import io.opentelemetry.exporter.prometheus.PrometheusHttpServer;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;

/**
 * What OpenTelemetry's own Prometheus exporter writes of the catalog: every entry published
 * through the OpenTelemetry sinks, one series each, and scraped over HTTP.
 */
public final class OtelExporterScrapes {

	private OtelExporterScrapes() {
	}

	/**
	 * Publish one series of every catalog entry (a timer with one recording) and scrape it.
	 * @param tagValue the value each series has for a tag key, in the catalog's spelling
	 * @return the exporter's text exposition
	 * @throws Exception if the scrape fails
	 */
	public static String everyEntry(UnaryOperator<String> tagValue) throws Exception {
		int port = FreePorts.free();
		PrometheusHttpServer exporter = PrometheusHttpServer.builder().setHost("127.0.0.1").setPort(port).build();
		try (SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(exporter).build()) {
			List<ObservedMeter> observed = new ArrayList<>();
			OtelTimerSink timers = new OtelTimerSink(provider.get("test"));
			for (MeterDefinition definition : ThreadLensMeters.all()) {
				List<String> tags = definition.tagKeys().stream().map(tagValue).toList();
				if (definition.kind() == MeterKind.TIMER) {
					timers.timer(definition, tags, List.of(Duration.ofMillis(1))).record(1_000);
				}
				else {
					observed.add(new ObservedMeter(definition,
							() -> Rows.builder().add(1, tags.toArray(String[]::new)).build()));
				}
			}
			try (OtelCatalogPublisher publisher = new OtelCatalogPublisher(provider.get("test"),
					List.of(new ObservedMeters("all", false, observed)))) {
				return Scrapes.get(port, "/metrics").body();
			}
		}
	}

}
