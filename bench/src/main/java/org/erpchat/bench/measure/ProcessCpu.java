package org.erpchat.bench.measure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * CPU time of the processes on this machine that make up the system under test, read from {@code /proc}: the three
 * services, Kafka (in the local stack's launcher JVM), PostgreSQL (all its processes), Redis, and the load generator.
 * A process's time includes that of its children that ended (PostgreSQL's backends that came and went). Where the system
 * runs elsewhere, or on a system without {@code /proc}, the map is empty.
 */
public final class ProcessCpu {

    /** The components, in the order reports list them. */
    public static final java.util.List<String> COMPONENTS = java.util.List.of(
            "gateway", "message-service", "presence-service", "kafka", "postgresql", "redis", "load-generator");

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ, 100 on every Linux we run on

    private ProcessCpu() {}

    /** CPU seconds (user + system) per component, now. */
    public static Map<String, Double> snapshot(Collection<Long> loadGeneratorPids) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        COMPONENTS.forEach(component -> seconds.put(component, 0.0));
        Path proc = Path.of("/proc");
        if (!Files.isDirectory(proc)) {
            return Map.of();
        }
        long self = ProcessHandle.current().pid();
        try (Stream<Path> entries = Files.list(proc)) {
            entries.filter(path -> path.getFileName().toString().chars().allMatch(Character::isDigit))
                    .forEach(path -> {
                        long pid = Long.parseLong(path.getFileName().toString());
                        Optional<String> component = pid == self || loadGeneratorPids.contains(pid)
                                ? Optional.of("load-generator")
                                : componentOf(path);
                        component.ifPresent(name -> seconds.merge(name, cpuSeconds(path), Double::sum));
                    });
        } catch (IOException e) {
            return Map.of();
        }
        return seconds;
    }

    /** {@code after - before} per component. */
    public static Map<String, Double> difference(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> delta = new LinkedHashMap<>();
        after.forEach((component, value) -> delta.put(component, value - before.getOrDefault(component, 0.0)));
        return delta;
    }

    /** The pid of the gateway process on this machine, if there is one. */
    public static Optional<Long> gatewayPid() {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.filter(path -> path.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(path -> componentOf(path).filter("gateway"::equals).isPresent())
                    .map(path -> Long.parseLong(path.getFileName().toString()))
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> componentOf(Path processDir) {
        String commandLine;
        try {
            commandLine = new String(Files.readAllBytes(processDir.resolve("cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return Optional.empty(); // gone, or not ours to read
        }
        if (commandLine.contains("gateway-service") && commandLine.contains(".jar")) {
            return Optional.of("gateway");
        }
        if (commandLine.contains("message-service") && commandLine.contains(".jar")) {
            return Optional.of("message-service");
        }
        if (commandLine.contains("presence-service") && commandLine.contains(".jar")) {
            return Optional.of("presence-service");
        }
        if (commandLine.contains("local-stack") && commandLine.contains(".jar")
                || commandLine.contains("kafka.Kafka")) {
            return Optional.of("kafka");
        }
        String name = commandLine.isBlank()
                ? ""
                : Path.of(commandLine.split(" ")[0]).getFileName().toString();
        if (name.equals("postgres") || commandLine.startsWith("postgres:")) {
            return Optional.of("postgresql");
        }
        if (name.startsWith("redis-server") || commandLine.startsWith("redis-server")) {
            return Optional.of("redis");
        }
        return Optional.empty();
    }

    private static double cpuSeconds(Path processDir) {
        try {
            String stat = Files.readString(processDir.resolve("stat"));
            // Fields after the command name (which may hold spaces) start at state; utime is field 14 overall.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11])
                    + Long.parseLong(fields[12])
                    + Long.parseLong(fields[13])
                    + Long.parseLong(fields[14]);
            return ticks / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
