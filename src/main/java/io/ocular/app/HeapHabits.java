package io.ocular.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The window's heap habits for {@code java -jar ocular.jar}: the installed app gets them as {@code --java-options}
 * (installer/jpackage/image.args, decision record 0380), a plain jar launch does not, so the window sets the ones
 * HotSpot lets a running JVM change ("manageable" flags) unless the command line set them. Without them G1 keeps
 * the heap it once grew to: at 1M photos 3.9 GB committed for 0.76 GB live. {@code GCTimeRatio} is not
 * manageable and stays an installer-only option.
 */
final class HeapHabits {
    private static final Logger LOG = LoggerFactory.getLogger(HeapHabits.class);

    /** In this order: the minimum must fall before the maximum may (HotSpot keeps min ≤ max at every step). */
    static final Map<String, String> WINDOW = windowOptions();

    /** Sets one VM option of the running JVM. */
    @FunctionalInterface
    interface VmOptions {
        void set(String name, String value) throws JMException;
    }

    private HeapHabits() {
    }

    private static Map<String, String> windowOptions() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("MinHeapFreeRatio", "10");
        m.put("MaxHeapFreeRatio", "30");
        m.put("G1PeriodicGCInterval", "30000");
        return m;
    }

    /** {@link #apply(List, VmOptions)} on this JVM, through the platform's HotSpot diagnostic MBean. */
    static List<String> applyToThisJvm() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        return apply(ManagementFactory.getRuntimeMXBean().getInputArguments(), (name, value) ->
                server.invoke(new ObjectName("com.sun.management:type=HotSpotDiagnostic"), "setVMOption",
                        new Object[]{name, value}, new String[]{String.class.getName(), String.class.getName()}));
    }

    /**
     * Sets each of {@link #WINDOW} that {@code jvmArguments} did not give; a JVM that refuses one (another
     * collector, no such flag) keeps its own, logged, never an error for the user.
     *
     * @return the options set
     */
    static List<String> apply(List<String> jvmArguments, VmOptions options) {
        List<String> set = new ArrayList<>();
        for (Map.Entry<String, String> e : WINDOW.entrySet()) {
            String flag = "-XX:" + e.getKey() + "=";
            if (jvmArguments.stream().anyMatch(a -> a.startsWith(flag))) {
                continue;
            }
            try {
                options.set(e.getKey(), e.getValue());
                set.add(e.getKey() + "=" + e.getValue());
            } catch (JMException | RuntimeException ex) {
                LOG.info("heap option {} left as the JVM has it: {}", e.getKey(), ex.toString());
            }
        }
        return set;
    }
}
