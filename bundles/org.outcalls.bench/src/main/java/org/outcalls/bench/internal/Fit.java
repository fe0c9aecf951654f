package org.outcalls.bench.internal;

import java.util.List;

/** A power law y = a·x^b fitted by least squares on logarithms. */
record Fit(double a, double b, double r2) {

    /** NaN coefficients with fewer than two usable points (positive, finite, distinct x). */
    static Fit powerLaw(List<double[]> points) {
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        int k = 0;
        for (double[] p : points) {
            if (p[0] > 0 && p[1] > 0 && Double.isFinite(p[0]) && Double.isFinite(p[1])) {
                double x = Math.log(p[0]);
                double y = Math.log(p[1]);
                sx += x;
                sy += y;
                sxx += x * x;
                sxy += x * y;
                k++;
            }
        }
        double den = k * sxx - sx * sx;
        if (k < 2 || Math.abs(den) < 1e-12) {
            return new Fit(Double.NaN, Double.NaN, Double.NaN);
        }
        double b = (k * sxy - sx * sy) / den;
        double lnA = (sy - b * sx) / k;
        double meanY = sy / k;
        double ssTot = 0;
        double ssRes = 0;
        for (double[] p : points) {
            if (p[0] > 0 && p[1] > 0 && Double.isFinite(p[0]) && Double.isFinite(p[1])) {
                double x = Math.log(p[0]);
                double y = Math.log(p[1]);
                ssTot += (y - meanY) * (y - meanY);
                double e = y - (lnA + b * x);
                ssRes += e * e;
            }
        }
        return new Fit(Math.exp(lnA), b, ssTot == 0 ? 1 : 1 - ssRes / ssTot);
    }

    double at(double x) {
        return a * Math.pow(x, b);
    }
}
