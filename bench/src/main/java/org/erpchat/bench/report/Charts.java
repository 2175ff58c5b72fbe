package org.erpchat.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The plots of the reports, as PNG files (JFreeChart, headless). */
public final class Charts {

    private static final int WIDTH = 960;
    private static final int HEIGHT = 560;
    /** Distinguishable on white, unlike the default yellow. */
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)
    };

    private static final double[] PERCENTILES = {50, 75, 90, 95, 99, 99.9, 99.99, 100};

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /** Latency by percentile (log scale), one line per named distribution (histograms in microseconds). */
    public static void percentiles(String title, Map<String, Histogram> distributions, Path file) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        distributions.forEach((name, histogram) -> {
            if (histogram.getTotalCount() == 0) {
                return;
            }
            for (double percentile : PERCENTILES) {
                double ms = Math.max(0.1, histogram.getValueAtPercentile(percentile) / 1000.0);
                data.addValue(ms, name, percentile == 100 ? "max" : "p" + trim(percentile));
            }
        });
        JFreeChart chart = ChartFactory.createLineChart(
                title, "percentile", "latency (ms, log scale)", data, PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        LogAxis axis = new LogAxis("latency (ms, log scale)");
        axis.setSmallestValue(0.1);
        axis.setNumberFormatOverride(new DecimalFormat("#,##0.#"));
        plot.setRangeAxis(axis);
        style(chart);
        save(chart, file);
    }

    /** Lines through points {@code {x, y}}, one per named series; {@code markerY} draws a horizontal limit if not NaN. */
    public static void lines(
            String title, String xLabel, String yLabel, Map<String, List<double[]>> series, double markerY, Path file) {
        XYSeriesCollection data = new XYSeriesCollection();
        series.forEach((name, points) -> {
            XYSeries line = new XYSeries(name, false);
            points.forEach(point -> line.add(point[0], point[1]));
            data.addSeries(line);
        });
        JFreeChart chart = ChartFactory.createXYLineChart(
                title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        if (!Double.isNaN(markerY)) {
            ValueMarker marker = new ValueMarker(markerY, Color.RED, new BasicStroke(1.5f));
            plot.addRangeMarker(marker);
        }
        style(chart);
        save(chart, file);
    }

    /** Bars: for each category (e.g. a scenario), one bar per series (e.g. a process). */
    public static void bars(String title, String yLabel, Map<String, Map<String, Double>> valuesByCategory, Path file) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        valuesByCategory.forEach(
                (category, values) -> values.forEach((series, value) -> data.addValue(value, series, category)));
        JFreeChart chart =
                ChartFactory.createBarChart(title, "", yLabel, data, PlotOrientation.VERTICAL, true, false, false);
        style(chart);
        save(chart, file);
    }

    private static void style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getPlot().setBackgroundPaint(new Color(250, 250, 250));
        if (chart.getPlot() instanceof XYPlot xy) {
            xy.setDomainGridlinePaint(Color.LIGHT_GRAY);
            xy.setRangeGridlinePaint(Color.LIGHT_GRAY);
            for (int i = 0; i < xy.getDataset().getSeriesCount(); i++) {
                xy.getRenderer().setSeriesStroke(i, new BasicStroke(2f));
                xy.getRenderer().setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            }
        } else if (chart.getPlot() instanceof CategoryPlot category) {
            category.setRangeGridlinePaint(Color.LIGHT_GRAY);
            for (int i = 0; i < category.getDataset().getRowCount(); i++) {
                category.getRenderer().setSeriesStroke(i, new BasicStroke(2f));
                category.getRenderer().setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            }
        }
    }

    private static void save(JFreeChart chart, Path file) {
        try {
            ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String trim(double percentile) {
        return percentile == Math.rint(percentile) ? Long.toString((long) percentile) : Double.toString(percentile);
    }
}
