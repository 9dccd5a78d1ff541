package io.seriatim.cli;

import java.util.concurrent.CountDownLatch;

/** Blocks a long-running command's main thread until SIGTERM / Ctrl-C, then runs its cleanup. */
final class Await {
    private Await() {}

    static void untilShutdown(Runnable cleanup) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("seriatim-shutdown").unstarted(() -> {
            try {
                cleanup.run();
            } finally {
                stopped.countDown();
            }
        }));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
