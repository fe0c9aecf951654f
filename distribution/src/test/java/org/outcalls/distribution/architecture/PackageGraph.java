package org.outcalls.distribution.architecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The dependencies between the project's packages, as edges "from -> to", leaving out those of the
 * named factory classes (and their nested classes): a factory is the one sanctioned door from an
 * exported package into its implementation, so its edges are not the package's.
 */
final class PackageGraph {
    private final Map<String, SortedSet<String>> edges = new TreeMap<>();

    PackageGraph(JavaClasses classes, String prefix, java.util.Collection<String> factories) {
        for (JavaClass c : classes) {
            if (factories.stream().anyMatch(f -> c.getName().equals(f) || c.getName().startsWith(f + "$"))) {
                continue;
            }
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String from = c.getPackageName();
                String to = d.getTargetClass().getPackageName();
                if (!from.equals(to) && to.startsWith(prefix)) {
                    edges.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
                }
            }
        }
    }

    /** Every edge "from -> to" for which {@code keep} holds. */
    SortedSet<String> edges(java.util.function.BiPredicate<String, String> keep) {
        SortedSet<String> out = new TreeSet<>();
        edges.forEach((from, tos) -> tos.stream().filter(to -> keep.test(from, to)).forEach(to -> out.add(from + " -> " + to)));
        return out;
    }

    /** The edges inside a strongly connected component: each lies on some cycle of packages. */
    SortedSet<String> cyclicEdges() {
        Map<String, Integer> component = components();
        return edges((from, to) -> component.containsKey(to) && component.get(from).equals(component.get(to)));
    }

    /** Tarjan's algorithm, iterative: package → the number of its strongly connected component. */
    private Map<String, Integer> components() {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        java.util.Set<String> onStack = new java.util.HashSet<>();
        Map<String, Integer> component = new HashMap<>();
        int[] counter = {0, 0};
        for (String root : edges.keySet()) {
            if (index.containsKey(root)) {
                continue;
            }
            Deque<Object[]> work = new ArrayDeque<>();
            work.push(new Object[] {root, new ArrayList<>(edges.getOrDefault(root, new TreeSet<>())), 0});
            index.put(root, counter[0]);
            low.put(root, counter[0]++);
            stack.push(root);
            onStack.add(root);
            while (!work.isEmpty()) {
                Object[] frame = work.peek();
                String v = (String) frame[0];
                @SuppressWarnings("unchecked")
                List<String> next = (List<String>) frame[1];
                int i = (Integer) frame[2];
                if (i < next.size()) {
                    frame[2] = i + 1;
                    String w = next.get(i);
                    if (!index.containsKey(w)) {
                        index.put(w, counter[0]);
                        low.put(w, counter[0]++);
                        stack.push(w);
                        onStack.add(w);
                        work.push(new Object[] {w, new ArrayList<>(edges.getOrDefault(w, new TreeSet<>())), 0});
                    } else if (onStack.contains(w)) {
                        low.put(v, Math.min(low.get(v), index.get(w)));
                    }
                    continue;
                }
                work.pop();
                if (!work.isEmpty()) {
                    String parent = (String) work.peek()[0];
                    low.put(parent, Math.min(low.get(parent), low.get(v)));
                }
                if (low.get(v).equals(index.get(v))) {
                    String w;
                    do {
                        w = stack.pop();
                        onStack.remove(w);
                        component.put(w, counter[1]);
                    } while (!w.equals(v));
                    counter[1]++;
                }
            }
        }
        return component;
    }
}
