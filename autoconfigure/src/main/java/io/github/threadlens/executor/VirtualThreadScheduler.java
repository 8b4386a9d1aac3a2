package io.github.threadlens.executor;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.management.PlatformManagedObject;
import java.util.List;

import io.github.threadlens.catalog.ObservedMeter;
import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.catalog.Rows;
import io.github.threadlens.catalog.ThreadLensMeters;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The JVM's virtual thread scheduler, read from {@code jdk.management:type=VirtualThreadScheduler}
 * (JDK 24+): its parallelism, its carrier threads, and the virtual threads mounted on them
 * or queued for one. The MXBean interface is looked up at run time, so that ThreadLens still
 * compiles for and runs on JDK 17, where these meters are simply absent.
 */
public final class VirtualThreadScheduler {

	private static final Log logger = LogFactory.getLog(VirtualThreadScheduler.class);

	/** The MXBean's interface, found by name. */
	public static final String MXBEAN_INTERFACE = "jdk.management.VirtualThreadSchedulerMXBean";

	private final Object mxBean;

	private final MethodHandle parallelism;

	private final MethodHandle poolSize;

	private final MethodHandle mounted;

	private final MethodHandle queued;

	private VirtualThreadScheduler(Object mxBean, Class<?> type) throws ReflectiveOperationException {
		MethodHandles.Lookup lookup = MethodHandles.publicLookup();
		this.mxBean = mxBean;
		this.parallelism = lookup.findVirtual(type, "getParallelism", MethodType.methodType(int.class));
		this.poolSize = lookup.findVirtual(type, "getPoolSize", MethodType.methodType(int.class));
		this.mounted = lookup.findVirtual(type, "getMountedVirtualThreadCount", MethodType.methodType(int.class));
		this.queued = lookup.findVirtual(type, "getQueuedVirtualThreadCount", MethodType.methodType(long.class));
	}

	/**
	 * The scheduler of this JVM, when it exposes one.
	 * @return the scheduler, or {@code null} before JDK 24
	 */
	public static VirtualThreadScheduler ofThisJvm() {
		try {
			Class<?> type = Class.forName(MXBEAN_INTERFACE);
			@SuppressWarnings("unchecked")
			Object mxBean = ManagementFactory.getPlatformMXBean((Class<? extends PlatformManagedObject>) type);
			return (mxBean != null) ? new VirtualThreadScheduler(mxBean, type) : null;
		}
		catch (ClassNotFoundException ex) {
			return null;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			logger.debug("The virtual thread scheduler's MXBean cannot be read", ex);
			return null;
		}
	}

	/**
	 * The scheduler's gauges as a JVM-wide catalog family.
	 * @return the family
	 */
	public ObservedMeters meters() {
		return new ObservedMeters("virtual-threads", true,
				List.of(new ObservedMeter(ThreadLensMeters.VIRTUAL_PARALLELISM, () -> Rows.of(read(this.parallelism))),
						new ObservedMeter(ThreadLensMeters.VIRTUAL_POOL_SIZE, () -> Rows.of(read(this.poolSize))),
						new ObservedMeter(ThreadLensMeters.VIRTUAL_LIVE, () -> Rows.builder()
							.add(read(this.mounted), "mounted")
							.add(read(this.queued), "queued")
							.build())));
	}

	private double read(MethodHandle attribute) {
		try {
			return ((Number) attribute.invoke(this.mxBean)).doubleValue();
		}
		catch (Throwable ex) {
			// A gauge that cannot be read reports no value rather than break the scrape.
			return Double.NaN;
		}
	}

}
