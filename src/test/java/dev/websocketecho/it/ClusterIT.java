package dev.websocketecho.it;

import dev.websocketecho.testing.Eventually;
import dev.websocketecho.testing.PayaraCluster;
import dev.websocketecho.testing.Subscriber;
import dev.websocketecho.testing.Subscriber.Received;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The recipe of {@code deploy/cluster/}: three Payara Micro 7 instances in one data grid behind nginx, started by its
 * script. Topics reach the subscribers of every instance exactly once and in order, and when an instance is killed the
 * others miss nothing while its subscribers come back through nginx within seconds. It runs with the development
 * server's profile only: the recipe starts Payara Micro 7 itself, whichever container a profile tests.
 */
@EnabledIfSystemProperty(named = "arquillian.launch", matches = "payara-micro")
@EnabledIfSystemProperty(named = "payara.microJar", matches = ".*payara-micro-7\\.[^/]*\\.jar",
        disabledReason = "the cluster recipe runs Payara Micro 7, the default container")
@TestMethodOrder(OrderAnnotation.class)
class ClusterIT {

    private static final String TOKEN = "cluster-tests-publish-token";
    private static final int INSTANCES = 3;
    private static final int SUBSCRIBERS = 300;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** How soon the subscribers of a killed instance must receive again. */
    private static final Duration BACK_WITHIN = Duration.ofSeconds(5);
    private static final Pattern SUBSCRIBERS_COUNT = Pattern.compile("\"subscribers\":(\\d+)");
    private static final Pattern MEMBERS_COUNT = Pattern.compile("\"members\":(\\d+)");

    private static PayaraCluster cluster;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    /** Where the subscribers schedule their reconnections. */
    private static final ScheduledExecutorService TIMERS = Executors.newScheduledThreadPool(2);

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = PayaraCluster.start(Path.of("target", "cluster-it"), INSTANCES,
                Path.of(System.getProperty("payara.microJar")), Path.of("target", "websocket-echo.war"),
                Map.of("ECHO_PUBLISH_TOKEN", TOKEN));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        TIMERS.shutdownNow();
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void everyPublishReachesEverySubscriberOfEveryInstanceOnceAndInOrder() throws Exception {
        List<Subscriber> subscribers = subscribe("spread");
        try {
            awaitSpread(INSTANCES);
            List<String> published = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                // One after another, each through another instance.
                published.add(publish(i % INSTANCES, "spread", "message " + i));
            }
            published.add(publish(0, "spread", "end"));
            for (Subscriber subscriber : subscribers) {
                awaitEnd(subscriber);
                assertEquals(published, subscriber.texts(), "what one subscriber received");
            }
        } finally {
            subscribers.forEach(Subscriber::stop);
        }
    }

    /** Runs last: it kills an instance. */
    @Test
    @Order(2)
    void whenAnInstanceDiesTheOthersMissNothingAndItsSubscribersComeBackWithinSeconds() throws Exception {
        int killed = INSTANCES - 1;
        List<Subscriber> subscribers = subscribe("failover");
        ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
        List<String> published = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch beforeKill = new CountDownLatch(10);
        CountDownLatch afterKill = new CountDownLatch(100);
        AtomicBoolean killing = new AtomicBoolean();
        AtomicInteger next = new AtomicInteger();
        try {
            awaitSpread(INSTANCES);
            int onKilled = subscribersOf(killed);
            // Ten a second, each through one of the instances that stay.
            publisher.scheduleAtFixedRate(() -> {
                int n = next.getAndIncrement();
                try {
                    published.add(publish(n % killed, "failover", "message " + n));
                } catch (Exception | AssertionError e) {
                    published.add("not published: message " + n + ": " + e);
                }
                (killing.get() ? afterKill : beforeKill).countDown();
            }, 0, 100, TimeUnit.MILLISECONDS);
            assertTrue(beforeKill.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "ten messages published");

            killing.set(true);
            long killedAt = System.nanoTime();
            cluster.kill(killed);
            awaitMembers(INSTANCES - 1);
            assertTrue(afterKill.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "a hundred published after the kill");
            publisher.shutdown();
            assertTrue(publisher.awaitTermination(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the publisher stopped");
            published.add(publish(0, "failover", "end"));
            List<String> failures = published.stream().filter(text -> text.startsWith("not published")).toList();
            assertEquals(List.of(), failures, "publishes the instances that stayed refused");

            int stayed = 0;
            int cameBack = 0;
            long slowest = 0;
            for (Subscriber subscriber : subscribers) {
                awaitEnd(subscriber);
                if (subscriber.connections() == 1) {
                    stayed++;
                    assertEquals(published, subscriber.texts(), "what a subscriber of an instance that stayed got");
                } else {
                    cameBack++;
                    List<Received> afterReconnect = subscriber.received().stream()
                            .filter(received -> received.connection() > 1).toList();
                    long back = afterReconnect.get(0).nanos() - killedAt;
                    slowest = Math.max(slowest, back);
                    assertTrue(back <= BACK_WITHIN.toNanos(), "a subscriber of the killed instance received again "
                            + Duration.ofNanos(back).toMillis() + " ms after the kill");
                    List<String> texts = afterReconnect.stream().map(Received::text).toList();
                    int from = published.indexOf(texts.get(0));
                    assertEquals(published.subList(from, published.size()), texts,
                            "what a subscriber received after it came back");
                }
            }
            System.out.printf("%d subscribers of the killed instance came back, the last %d ms after the kill%n",
                    cameBack, Duration.ofNanos(slowest).toMillis());
            assertEquals(onKilled, cameBack, "subscribers that came back: those of the killed instance");
            assertEquals(SUBSCRIBERS - onKilled, stayed);
        } finally {
            publisher.shutdownNow();
            subscribers.forEach(Subscriber::stop);
        }
    }

    private static List<Subscriber> subscribe(String topic) {
        URI uri = cluster.viaProxy("ws", "topics/" + topic);
        return IntStream.range(0, SUBSCRIBERS).mapToObj(i -> Subscriber.connect(HTTP, uri, TIMERS)).toList();
    }

    /** Waits until every subscriber is counted by some instance, and checks that nginx spread them over all. */
    private static void awaitSpread(int instances) {
        Eventually.assertEventually(SUBSCRIBERS, () -> IntStream.range(0, instances)
                .map(ClusterIT::subscribersOf).sum(), TIMEOUT, "subscribers counted by the instances");
        for (int i = 0; i < instances; i++) {
            int count = subscribersOf(i);
            assertTrue(count >= SUBSCRIBERS / instances / 2, "instance " + (i + 1) + " has " + count
                    + " of the " + SUBSCRIBERS + " subscribers: nginx's least_conn should spread them");
        }
    }

    private static void awaitMembers(int members) {
        Eventually.assertEventually(members, () -> count(MEMBERS_COUNT, get(cluster.direct(0, "http",
                "api/stats?scope=cluster"))), TIMEOUT, "members counted by ?scope=cluster");
    }

    private static void awaitEnd(Subscriber subscriber) {
        Eventually.assertEventually(true, () -> subscriber.texts().contains("end"), TIMEOUT,
                "the last message reached a subscriber");
    }

    private static int subscribersOf(int instance) {
        return count(SUBSCRIBERS_COUNT, get(cluster.direct(instance, "http", "api/stats")));
    }

    /** Publishes through instance {@code instance}, checks the 202 and returns the text. */
    private static String publish(int instance, String topic, String text) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(cluster.direct(instance, "http",
                        "api/topics/" + topic))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "text/plain; charset=UTF-8")
                .timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.ofString(text)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, response.statusCode(), response.body());
        return text;
    }

    private static String get(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int count(Pattern pattern, String json) {
        Matcher matcher = pattern.matcher(json);
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    }
}
