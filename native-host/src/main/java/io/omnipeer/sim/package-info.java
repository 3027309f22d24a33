/**
 * A network simulator that runs the production protocol code of many nodes in one JVM: each simulated node has a
 * real {@link io.omnipeer.pubsub.gossipsub.GossipRouter} and/or a real {@link io.omnipeer.dht.Kademlia} node, bound
 * to in-memory links through their network seams ({@link io.omnipeer.pubsub.gossipsub.GossipNetwork},
 * {@link io.omnipeer.dht.DhtNetwork}) and to a virtual clock ({@link io.omnipeer.pubsub.gossipsub.GossipTimer},
 * {@link io.omnipeer.dht.DhtTimer}) driven by a discrete-event {@link io.omnipeer.sim.EventScheduler}.
 *
 * <p>Entry points: {@link io.omnipeer.sim.DhtSimulation} ({@link io.omnipeer.sim.DhtSimConfig} →
 * {@link io.omnipeer.sim.DhtFigures}: lookup success, hops, closest-k recall) and
 * {@link io.omnipeer.sim.GossipSimulation} ({@link io.omnipeer.sim.GossipSimConfig} →
 * {@link io.omnipeer.sim.GossipFigures}: delivery, duplicates, latency, traffic), both with churn and a heap-per-node
 * figure. {@code ./bench/run.sh sim} runs them at 1k–100k nodes and writes {@code bench/results/sim-*.csv} and plots;
 * {@code io.omnipeer.sim.*SimulationTest} runs 1,000 nodes in the default test suite.
 *
 * <p>What is simulated rather than run: TCP, Noise, yamux and multistream-select (a connection opens after a fixed
 * number of link latencies, RPCs arrive after one latency, in order per link), identify (a DHT request adds the
 * requester to the receiver's routing table), the peerstore (every node's one address is known). Single-threaded and
 * deterministic for a seed (except the DHT's random-walk targets during a joining node's bootstrap).
 */
package io.omnipeer.sim;
