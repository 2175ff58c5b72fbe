package org.erpchat.bench.measure;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway process's memory: heap in use after a full GC (from its Prometheus endpoint), native memory committed
 * outside the heap (Native Memory Tracking, when the process runs with {@code -XX:NativeMemoryTracking=summary}; the
 * benchmark's stack does), and resident set size. Needs the process on this machine ({@code jcmd}, {@code /proc}).
 */
public final class GatewayMemory {

    private static final Pattern HEAP_USED =
            Pattern.compile("jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} ([0-9.E+]+)");
    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");
    private static final Pattern NMT_HEAP = Pattern.compile("Java Heap \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");

    private final long pid;
    private final URI prometheus;
    private final HttpClient http = HttpClient.newHttpClient();

    public GatewayMemory(long pid, URI gatewayUrl) {
        this.pid = pid;
        this.prometheus = gatewayUrl.resolve("/actuator/prometheus");
    }

    /** @param nativeBytes committed outside the Java heap, or -1 without Native Memory Tracking */
    public record Sample(long heapUsedBytes, long nativeBytes, long rssBytes) {}

    public Sample sample() {
        jcmd("GC.run");
        jcmd("GC.run");
        return new Sample(heapUsed(), nativeCommitted(), rss());
    }

    private long heapUsed() {
        try {
            String metrics = http.send(HttpRequest.newBuilder(prometheus).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
            long heap = 0;
            Matcher matcher = HEAP_USED.matcher(metrics);
            while (matcher.find()) {
                heap += (long) Double.parseDouble(matcher.group(1));
            }
            return heap;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private long nativeCommitted() {
        String summary = jcmd("VM.native_memory", "summary");
        Matcher total = NMT_TOTAL.matcher(summary);
        Matcher heap = NMT_HEAP.matcher(summary);
        if (!total.find() || !heap.find()) {
            return -1;
        }
        return (Long.parseLong(total.group(2)) - Long.parseLong(heap.group(2))) * 1024;
    }

    private long rss() {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(line -> line.startsWith("VmRSS:"))
                    .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024)
                    .findFirst()
                    .orElse(-1L);
        } catch (IOException e) {
            return -1;
        }
    }

    private String jcmd(String... command) {
        List<String> line = new java.util.ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid)));
        line.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            process.waitFor(60, TimeUnit.SECONDS);
            return output;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
