package io.ocular.app;

import org.junit.jupiter.api.Test;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HeapHabitsTest {

    @Test
    void setsEveryHabitTheCommandLineLeftOpenMinimumFirst() {
        List<String> calls = new ArrayList<>();
        List<String> set = HeapHabits.apply(List.of("-Xmx2g", "-XX:G1PeriodicGCInterval=5000"),
                (name, value) -> calls.add(name + "=" + value));
        assertThat(calls).containsExactly("MinHeapFreeRatio=10", "MaxHeapFreeRatio=30");
        assertThat(set).isEqualTo(calls);
    }

    @Test
    void aRefusedOptionIsLeftAndTheOthersStillSet() {
        List<String> set = HeapHabits.apply(List.of(), (name, value) -> {
            if (name.equals("MinHeapFreeRatio")) {
                throw new JMException("not writeable");
            }
        });
        assertThat(set).containsExactly("MaxHeapFreeRatio=30", "G1PeriodicGCInterval=30000");
    }

    @Test
    void theRunningJvmTakesThemThroughItsDiagnosticBean() throws Exception {
        List<String> set = HeapHabits.applyToThisJvm();
        List<String> given = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String option : List.of("MinHeapFreeRatio", "MaxHeapFreeRatio", "G1PeriodicGCInterval")) {
            if (given.stream().noneMatch(a -> a.startsWith("-XX:" + option + "="))) {
                assertThat(set).contains(option + "=" + HeapHabits.WINDOW.get(option));
                assertThat(vmOption(option)).isEqualTo(HeapHabits.WINDOW.get(option));
            }
        }
    }

    private static String vmOption(String name) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        CompositeData d = (CompositeData) server.invoke(new ObjectName("com.sun.management:type=HotSpotDiagnostic"),
                "getVMOption", new Object[]{name}, new String[]{String.class.getName()});
        return (String) d.get("value");
    }
}
