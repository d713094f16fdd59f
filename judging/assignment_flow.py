"""The flow network of an assignment and its flows, in SciPy's compiled csgraph.

Nodes: 0 the source, then the submissions, then the judges, then the sink. Arcs: source ->
submission (the judges it still needs), submission -> judge (1 per pair the solver may
choose), judge -> sink (the judge's free capacity). `assignment_solver` builds the arrays;
this module only moves flow.
"""

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import dijkstra, maximum_flow


@dataclass(frozen=True)
class Network:
    tail: np.ndarray
    head: np.ndarray
    capacity: np.ndarray
    cost: np.ndarray
    size: int
    pairs: slice  # the submission -> judge arcs

    @property
    def sink(self) -> int:
        return self.size - 1


def bipartite_network(*, demand, pair_sub, pair_judge, pair_cost, judge_capacity) -> Network:
    """The network for submissions needing `demand` judges, choosing among pairs (indices
    `pair_sub`, `pair_judge`, each costing `pair_cost`), judges taking `judge_capacity`."""
    n_sub, n_judge, n_pairs = len(demand), len(judge_capacity), len(pair_sub)
    sink = n_sub + n_judge + 1
    zeros = np.zeros(n_sub + n_judge, np.int64)
    return Network(
        tail=np.concatenate(
            [np.zeros(n_sub, np.int64), 1 + pair_sub, 1 + n_sub + np.arange(n_judge)]
        ),
        head=np.concatenate([1 + np.arange(n_sub), 1 + n_sub + pair_judge, np.full(n_judge, sink)]),
        capacity=np.concatenate(
            [demand, np.ones(n_pairs, np.int64), np.maximum(judge_capacity, 0)]
        ).astype(np.int64),
        cost=np.concatenate([zeros[:n_sub], pair_cost, zeros[n_sub:]]).astype(np.int64),
        size=sink + 1,
        pairs=slice(n_sub, n_sub + n_pairs),
    )


def _capacity_graph(size, tail, head, capacity) -> sparse.csr_matrix:
    keep = capacity > 0
    return sparse.csr_matrix(
        (capacity[keep].astype(np.int32), (tail[keep], head[keep])), shape=(size, size)
    )


def _arc_values(matrix: sparse.csr_matrix, net: Network) -> np.ndarray:
    """matrix[tail, head] for every arc of `net` (0 where the matrix has no entry)."""
    coo = matrix.tocoo()
    if not coo.nnz:
        return np.zeros(len(net.tail), np.int64)
    keys = coo.row.astype(np.int64) * net.size + coo.col
    order = np.argsort(keys)
    keys, data = keys[order], coo.data[order]
    wanted = net.tail * net.size + net.head
    at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    return np.where(keys[at] == wanted, data[at], 0).astype(np.int64)


def max_flow(net: Network) -> np.ndarray:
    """The flow on each arc of a maximum flow."""
    graph = _capacity_graph(net.size, net.tail, net.head, net.capacity)
    return _arc_values(maximum_flow(graph, 0, net.sink).flow, net)


def min_cost_flow(net: Network, wanted: int) -> np.ndarray:
    """The flow on each arc of a cheapest flow of value `wanted` (which must be feasible).

    Primal-dual method: shortest distances on the residual graph (Dijkstra on costs reduced
    by node potentials, never negative), then a maximum flow on the arcs of zero reduced
    cost, until `wanted` is sent. Each phase raises the sink's distance by at least 1; with
    costs 0 or 1 it stays small, so a handful of compiled Dijkstra and max-flow runs do it.
    """
    flow = np.zeros(len(net.tail), np.int64)
    potential = np.zeros(net.size, np.int64)
    sent = 0
    while sent < wanted:
        forward, backward = flow < net.capacity, flow > 0
        tail = np.concatenate([net.tail[forward], net.head[backward]])
        head = np.concatenate([net.head[forward], net.tail[backward]])
        room = np.concatenate([(net.capacity - flow)[forward], flow[backward]])
        cost = np.concatenate([net.cost[forward], -net.cost[backward]])
        # Explicit zeros are arcs for csgraph, so zero reduced costs stay in the graph.
        reduced = (cost + potential[tail] - potential[head]).astype(float)
        graph = sparse.csr_matrix((reduced, (tail, head)), shape=(net.size, net.size))
        distance = dijkstra(graph, indices=0)
        if not np.isfinite(distance[net.sink]):
            raise RuntimeError("no augmenting path: the flow asked for is not feasible")
        # Capping unreached nodes at the sink's distance keeps every reduced cost >= 0.
        potential += np.minimum(distance, distance[net.sink]).round().astype(np.int64)
        tight = cost + potential[tail] - potential[head] == 0
        extra = maximum_flow(
            _capacity_graph(net.size, tail[tight], head[tight], room[tight]), 0, net.sink
        )
        flow += _arc_values(extra.flow, net)
        sent += extra.flow_value
    return flow
