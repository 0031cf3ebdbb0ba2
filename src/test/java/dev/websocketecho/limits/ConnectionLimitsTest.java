package dev.websocketecho.limits;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionLimitsTest {

    @Test
    void capsEachAddressAndGivesACountBackOnRelease() {
        ConnectionLimits limits = new ConnectionLimits(10, 2);
        Admission first = limits.admit("192.0.2.1");
        assertTrue(limits.admit("192.0.2.1").granted());
        Admission third = limits.admit("192.0.2.1");
        assertFalse(third.granted());
        assertEquals("Address 192.0.2.1 holds its maximum of 2 connections", third.refusal());
        assertTrue(limits.admit("192.0.2.2").granted(), "another address has its own count");
        assertEquals(3, limits.connections());

        first.release();
        first.release();
        third.release();
        assertEquals(2, limits.connections(), "a second release and a refused admission give nothing back");
        assertTrue(limits.admit("192.0.2.1").granted());
    }

    @Test
    void capsTheTotalWhateverTheAddresses() {
        ConnectionLimits limits = new ConnectionLimits(3, 2);
        assertTrue(limits.admit("192.0.2.1").granted());
        assertTrue(limits.admit("192.0.2.2").granted());
        assertTrue(limits.admit(null).granted());
        Admission fourth = limits.admit("192.0.2.3");
        assertFalse(fourth.granted());
        assertEquals("The server holds its maximum of 3 connections", fourth.refusal());
        assertEquals(3, limits.connections());
    }

    @Test
    void neverOvershootsUnderConcurrentHandshakes() throws Exception {
        ConnectionLimits limits = new ConnectionLimits(1000, 50);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Admission>> admissions = new ArrayList<>();
        try {
            for (int i = 0; i < 400; i++) {
                String address = "192.0.2." + (i % 4);
                admissions.add(threads.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return limits.admit(address);
                }));
            }
            start.countDown();
            int granted = 0;
            for (Future<Admission> admission : admissions) {
                if (admission.get(10, TimeUnit.SECONDS).granted()) {
                    granted++;
                }
            }
            assertEquals(200, granted, "four addresses of 50 each");
            assertEquals(200, limits.connections());
            for (Future<Admission> admission : admissions) {
                admission.get().release();
            }
            assertEquals(0, limits.connections());
        } finally {
            threads.shutdownNow();
        }
    }
}
