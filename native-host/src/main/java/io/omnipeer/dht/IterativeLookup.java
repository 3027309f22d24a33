package io.omnipeer.dht;

import io.omnipeer.core.PeerId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The Kademlia iterative lookup: repeatedly ask the closest not-yet-queried peers (at most alpha at once) for peers
 * closer to the target, until the k closest peers seen have all answered, nobody is left to ask, the caller's stop
 * condition holds, or a bound is hit. With d &gt; 1 it runs S/Kademlia disjoint paths: the seeds are dealt round-robin
 * to d paths, each path only follows the peers its own answers name, and no peer is queried by two paths.
 * Spec: libp2p/specs kad-dht/README.md, "Peer routing".
 *
 * <p>It reaches the network only through {@link PeerQuery} and takes time only from {@link DhtTimer}, so the
 * simulation runs the same code in virtual time. Thread-safe: state is guarded by this object; queries are started
 * outside the lock and may complete on any thread (even synchronously). Per path at most
 * {@link #MAX_CANDIDATES_FACTOR}·k unqueried candidates are kept.
 */
public final class IterativeLookup {
    /** Candidates kept per path, as a multiple of k (farther ones are dropped: they would never be queried). */
    public static final int MAX_CANDIDATES_FACTOR = 4;

    /** Asks one peer for peers closer to the target (and lets the caller collect values or providers). */
    @FunctionalInterface
    public interface PeerQuery {
        /** Completes with the closer peers {@code peer} named; fails if it could not be asked or answered badly. */
        CompletableFuture<List<DhtPeer>> ask(DhtPeer peer);
    }

    private enum State { WAITING, IN_FLIGHT, ANSWERED, FAILED }

    private static final class Candidate {
        final DhtPeer peer;
        final Key key;
        final int hop;
        State state = State.WAITING;

        Candidate(DhtPeer peer, int hop) {
            this.peer = peer;
            this.key = Key.of(peer.id());
            this.hop = hop;
        }
    }

    private static final class Path {
        final List<Candidate> candidates = new ArrayList<>();
        int inFlight;
        boolean done;
    }

    private final Key target;
    private final LookupOptions options;
    private final DhtTimer timer;
    private final PeerQuery query;
    private final BooleanSupplier satisfied;
    private final Comparator<Candidate> byDistance;
    private final List<Path> paths = new ArrayList<>();
    private final Set<PeerId> claimed = new HashSet<>();
    private final CompletableFuture<LookupResult> result = new CompletableFuture<>();
    private final Instant started;
    private DhtTimer.Cancellable lookupDeadline;
    private int queries;
    private int failures;

    private IterativeLookup(Key target, LookupOptions options, DhtTimer timer, PeerQuery query, BooleanSupplier satisfied) {
        this.target = target;
        this.options = options;
        this.timer = timer;
        this.query = query;
        this.satisfied = satisfied;
        this.byDistance = (a, b) -> target.compareDistance(a.key, b.key);
        this.started = timer.now();
        for (int i = 0; i < options.disjointPaths(); i++) {
            paths.add(new Path());
        }
    }

    /**
     * Runs a lookup for {@code target} starting from {@code seeds} (usually the routing table's k closest).
     *
     * @param satisfied checked after every answer; true ends the lookup at once (e.g. GET_VALUE reached its quorum)
     * @return completes with the result; never fails (a lookup where every peer failed returns an empty result)
     */
    public static CompletableFuture<LookupResult> run(Key target, Collection<DhtPeer> seeds, LookupOptions options,
                                                      DhtTimer timer, PeerQuery query, BooleanSupplier satisfied) {
        IterativeLookup lookup = new IterativeLookup(target, options, timer, query, satisfied);
        lookup.start(seeds);
        return lookup.result;
    }

    /** {@link #run} without a stop condition (FIND_NODE to the end). */
    public static CompletableFuture<LookupResult> run(Key target, Collection<DhtPeer> seeds, LookupOptions options,
                                                      DhtTimer timer, PeerQuery query) {
        return run(target, seeds, options, timer, query, () -> false);
    }

    private void start(Collection<DhtPeer> seeds) {
        synchronized (this) {
            List<Candidate> sorted = new ArrayList<>();
            for (DhtPeer p : seeds) {
                if (claimed.add(p.id())) {
                    sorted.add(new Candidate(p, 1));
                }
            }
            sorted.sort(byDistance);
            for (int i = 0; i < sorted.size(); i++) {
                paths.get(i % paths.size()).candidates.add(sorted.get(i));
            }
        }
        lookupDeadline = timer.schedule(options.lookupTimeout(), () -> {
            synchronized (this) {
                finish(false);
            }
        });
        step();
    }

    /** Starts what can be started; finishes when every path is done. */
    private void step() {
        List<Runnable> launches = new ArrayList<>();
        synchronized (this) {
            if (result.isDone()) {
                return;
            }
            boolean allDone = true;
            for (Path path : paths) {
                advance(path, launches);
                allDone &= path.done;
            }
            if (allDone) {
                finish(false);
            }
        }
        launches.forEach(Runnable::run);
    }

    private void advance(Path path, List<Runnable> launches) {
        if (path.done) {
            return;
        }
        int considered = 0;
        for (Candidate c : path.candidates) {
            if (c.state == State.FAILED) {
                continue;
            }
            if (c.state == State.WAITING && path.inFlight < options.alpha() && queries < options.maxQueries()) {
                launches.add(launch(path, c));
            }
            if (++considered >= options.k()) {
                break;
            }
        }
        // Nothing in flight after trying to launch: the k closest have answered, nobody is left, or the query budget
        // is spent. Either way this path cannot make progress.
        if (path.inFlight == 0) {
            path.done = true;
        }
    }

    private Runnable launch(Path path, Candidate c) {
        c.state = State.IN_FLIGHT;
        path.inFlight++;
        queries++;
        return () -> {
            DhtTimer.Cancellable deadline = timer.schedule(options.requestTimeout(),
                    () -> onFailure(path, c));
            CompletableFuture<List<DhtPeer>> answer;
            try {
                answer = query.ask(c.peer);
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            answer.whenComplete((peers, error) -> {
                deadline.cancel();
                if (error != null || peers == null) {
                    onFailure(path, c);
                } else {
                    onAnswer(path, c, peers);
                }
            });
        };
    }

    private void onAnswer(Path path, Candidate c, List<DhtPeer> closer) {
        synchronized (this) {
            if (c.state != State.IN_FLIGHT || result.isDone()) {
                return;
            }
            c.state = State.ANSWERED;
            path.inFlight--;
            for (DhtPeer p : closer) {
                if (claimed.add(p.id())) {
                    path.candidates.add(new Candidate(p, c.hop + 1));
                }
            }
            path.candidates.sort(byDistance);
            trim(path);
            if (satisfied.getAsBoolean()) {
                finish(true);
                return;
            }
        }
        step();
    }

    private void onFailure(Path path, Candidate c) {
        synchronized (this) {
            if (c.state != State.IN_FLIGHT || result.isDone()) {
                return;
            }
            c.state = State.FAILED;
            path.inFlight--;
            failures++;
        }
        step();
    }

    /** Drops the farthest unqueried candidates beyond the per-path cap. */
    private void trim(Path path) {
        int cap = MAX_CANDIDATES_FACTOR * options.k();
        for (int i = path.candidates.size() - 1; i >= 0 && path.candidates.size() > cap; i--) {
            if (path.candidates.get(i).state == State.WAITING) {
                path.candidates.remove(i);
            }
        }
    }

    private void finish(boolean stoppedEarly) {
        if (result.isDone()) {
            return;
        }
        if (lookupDeadline != null) {
            lookupDeadline.cancel();
        }
        List<Candidate> answered = new ArrayList<>();
        for (Path p : paths) {
            for (Candidate c : p.candidates) {
                if (c.state == State.ANSWERED) {
                    answered.add(c);
                }
            }
        }
        answered.sort(byDistance);
        List<Candidate> top = answered.subList(0, Math.min(options.k(), answered.size()));
        int hops = top.isEmpty() ? 0 : top.getFirst().hop;
        result.complete(new LookupResult(top.stream().map(c -> c.peer).toList(), queries, failures, hops,
                Duration.between(started, timer.now()), stoppedEarly));
    }

    @Override
    public synchronized String toString() {
        return "IterativeLookup{target=" + target + ", queries=" + queries + ", failures=" + failures + "}";
    }
}
