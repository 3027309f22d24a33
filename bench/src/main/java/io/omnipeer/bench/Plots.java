package io.omnipeer.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** Grouped bar charts as PNG (XChart, headless AWT). */
final class Plots {
    private Plots() {
    }

    /**
     * @param categories x-axis groups
     * @param series     series name → one value per category (NaN where absent, drawn as 0)
     */
    static void bars(Path png, String title, String yTitle, List<String> categories, Map<String, List<Double>> series)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        boolean longLabels = categories.stream().anyMatch(c -> c.length() > 22);
        CategoryChart chart = new CategoryChartBuilder().width(1100).height(longLabels ? 720 : 560).title(title)
                .xAxisTitle("").yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setLabelsVisible(false);
        chart.getStyler().setXAxisLabelRotation(longLabels ? 30 : 0);
        chart.getStyler().setAvailableSpaceFill(0.85);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        Map<String, List<Double>> clean = new LinkedHashMap<>();
        series.forEach((k, v) -> clean.put(k, v.stream().map(d -> d == null || d.isNaN() ? 0.0 : d).toList()));
        clean.forEach((k, v) -> chart.addSeries(k, categories, v));
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
