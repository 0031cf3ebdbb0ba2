package dev.websocketecho.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/** The benchmark's chart as SVG: throughput as a ratio to the reference, and p99 latency, per scenario and server. */
final class Chart {

    private static final String[] COLOURS = {"#4c78a8", "#f58518", "#54a24b", "#b279a2", "#e45756", "#72b7b2"};
    private static final int WIDTH = 1200;
    private static final int PANEL = 260;
    private static final int LEFT = 60;

    private Chart() {
    }

    /**
     * @param ratio  throughput of a server in a scenario divided by the reference's
     * @param p99Ms p99 latency of a server in a scenario, in milliseconds
     */
    static String svg(List<String> servers, List<String> scenarios, BiFunction<String, String, Double> ratio,
                      BiFunction<String, String, Double> p99Ms) {
        StringBuilder svg = new StringBuilder();
        int height = 2 * PANEL + 120 + 20 * servers.size();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        panel(svg, 20, "Throughput, ratio to the Netty reference (higher is better)", servers, scenarios, ratio, "×");
        panel(svg, PANEL + 60, "p99 latency in ms (lower is better)", servers, scenarios, p99Ms, " ms");
        int legend = 2 * PANEL + 100;
        for (int i = 0; i < servers.size(); i++) {
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT, legend + 20 * i, COLOURS[i % COLOURS.length],
                    LEFT + 18, legend + 20 * i + 11, escape(servers.get(i))));
        }
        return svg.append("</svg>\n").toString();
    }

    private static void panel(StringBuilder svg, int top, String title, List<String> servers, List<String> scenarios,
                              BiFunction<String, String, Double> value, String unit) {
        double max = 0;
        for (String scenario : scenarios) {
            for (String server : servers) {
                max = Math.max(max, value.apply(scenario, server));
            }
        }
        int plotTop = top + 36;
        int plotHeight = PANEL - 50;
        int baseline = plotTop + plotHeight;
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"14\">%s</text>%n", LEFT, top + 12,
                escape(title)));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n",
                LEFT, baseline, WIDTH - 20, baseline));
        int groupWidth = (WIDTH - LEFT - 40) / scenarios.size();
        int barWidth = Math.max(8, (groupWidth - 30) / servers.size());
        for (int g = 0; g < scenarios.size(); g++) {
            int groupLeft = LEFT + 10 + g * groupWidth;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">(%s)</text>%n",
                    groupLeft + barWidth * servers.size() / 2, baseline + 16, scenarios.get(g)));
            for (int s = 0; s < servers.size(); s++) {
                double v = value.apply(scenarios.get(g), servers.get(s));
                int h = max == 0 ? 0 : (int) Math.round(plotHeight * v / max);
                int x = groupLeft + s * barWidth;
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>"
                        + "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"9\">%s</text>%n",
                        x, baseline - h, barWidth - 2, h, COLOURS[s % COLOURS.length], x + barWidth / 2,
                        baseline - h - 3, format(v) + unit));
            }
        }
    }

    private static String format(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : v >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;");
    }
}
