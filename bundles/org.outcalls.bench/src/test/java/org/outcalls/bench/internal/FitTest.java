package org.outcalls.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FitTest {
    @Test
    void recoversAnExactPowerLaw() {
        Fit f = Fit.powerLaw(List.of(new double[] {4, 3 * Math.pow(4, 1.5)}, new double[] {7, 3 * Math.pow(7, 1.5)},
                new double[] {13, 3 * Math.pow(13, 1.5)}));
        assertEquals(1.5, f.b(), 1e-9);
        assertEquals(3, f.a(), 1e-9);
        assertEquals(1, f.r2(), 1e-9);
        assertEquals(3 * Math.pow(10, 1.5), f.at(10), 1e-6);
    }

    @Test
    void aLinearCostHasExponentOne() {
        Fit f = Fit.powerLaw(List.of(new double[] {4, 400}, new double[] {13, 1300}));
        assertEquals(1, f.b(), 1e-9);
    }

    @Test
    void needsTwoUsablePoints() {
        assertTrue(Double.isNaN(Fit.powerLaw(List.of(new double[] {4, 400})).b()));
        assertTrue(Double.isNaN(Fit.powerLaw(List.of(new double[] {4, 400}, new double[] {7, Double.NaN})).b()));
        assertTrue(Double.isNaN(Fit.powerLaw(List.of(new double[] {4, 400}, new double[] {4, 500})).b()));
    }
}
