package org.outcalls.replica.internal.exec;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.outcalls.api.canister.KeyValueState;
import org.outcalls.api.canister.MutableKeyValueState;
import org.outcalls.replica.Names;
import org.outcalls.replica.internal.state.HashedMap;

/** A canister's view of its key-value state: read-only for queries, a transaction for calls. */
final class KeyValueViews {
    private KeyValueViews() {
    }

    /** Read-only: deliberately not a {@link MutableKeyValueState}. */
    static final class ReadOnly implements KeyValueState {
        private final HashedMap base;

        ReadOnly(HashedMap base) {
            this.base = base;
        }

        @Override
        public Optional<byte[]> get(String key) {
            byte[] v = base.get(key);
            return v == null ? Optional.empty() : Optional.of(v.clone());
        }

        @Override
        public void scan(String prefix, String afterKey, int limit, BiConsumer<String, byte[]> visitor) {
            Transaction.merge(base.entries(), new TreeMap<>(), prefix, afterKey, limit, visitor);
        }

        @Override
        public long size() {
            return base.size();
        }
    }

    /**
     * Writes kept aside until {@link #commit()}; discarding the object discards them. Reads see the
     * transaction's own writes over the committed state. Every put and delete is charged to the
     * call's {@link MessageBudget}, so what is kept aside is bounded.
     */
    static final class Transaction implements MutableKeyValueState {
        private final HashedMap base;
        private final MessageBudget budget;
        /** Key → new value, or null for a delete. */
        private final TreeMap<String, byte[]> writes = new TreeMap<>();
        private long size;

        Transaction(HashedMap base) {
            this(base, new MessageBudget());
        }

        Transaction(HashedMap base, MessageBudget budget) {
            this.base = base;
            this.budget = budget;
            this.size = base.size();
        }

        @Override
        public Optional<byte[]> get(String key) {
            byte[] v = writes.containsKey(key) ? writes.get(key) : base.get(key);
            return v == null ? Optional.empty() : Optional.of(v.clone());
        }

        private boolean present(String key) {
            return writes.containsKey(key) ? writes.get(key) != null : base.containsKey(key);
        }

        @Override
        public void put(String key, byte[] value) {
            int keyBytes = checkKey(key);
            if (value == null) {
                throw new IllegalArgumentException("value of key '" + abbreviate(key) + "': must not be null");
            }
            if (value.length > MAX_VALUE_BYTES) {
                throw new IllegalArgumentException("value of key '" + abbreviate(key) + "': " + value.length
                        + " bytes; at most " + MAX_VALUE_BYTES + " are allowed");
            }
            budget.write((long) keyBytes + value.length);
            if (!present(key)) {
                size++;
            }
            writes.put(key, value.clone());
        }

        @Override
        public void delete(String key) {
            budget.write(checkKey(key));
            if (present(key)) {
                size--;
            }
            if (base.containsKey(key)) {
                writes.put(key, null);
            } else {
                writes.remove(key);
            }
        }

        @Override
        public void scan(String prefix, String afterKey, int limit, BiConsumer<String, byte[]> visitor) {
            merge(base.entries(), writes, prefix, afterKey, limit, visitor);
        }

        @Override
        public long size() {
            return size;
        }

        void commit() {
            for (Map.Entry<String, byte[]> e : writes.entrySet()) {
                if (e.getValue() == null) {
                    base.remove(e.getKey());
                } else {
                    base.put(e.getKey(), e.getValue());
                }
            }
            writes.clear();
        }

        /** @return the key's UTF-8 bytes */
        private static int checkKey(String key) {
            if (key == null) {
                throw new IllegalArgumentException("key: must not be null");
            }
            int bytes = key.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_KEY_BYTES) {
                throw new IllegalArgumentException("key '" + abbreviate(key) + "': " + bytes + " bytes; at most "
                        + MAX_KEY_BYTES + " are allowed");
            }
            Names.checkUnicode("key", key);
            return bytes;
        }

        /**
         * Visits the entries of {@code base} overlaid by {@code writes} (null: deleted) whose keys
         * start with {@code prefix}, in ascending order, after {@code afterKey}.
         */
        static void merge(NavigableMap<String, byte[]> base, NavigableMap<String, byte[]> writes, String prefix,
                          String afterKey, int limit, BiConsumer<String, byte[]> visitor) {
            if (limit < 0) {
                throw new IllegalArgumentException("limit: must not be negative (was " + limit + ")");
            }
            String p = prefix == null ? "" : prefix;
            boolean inclusive = afterKey == null || afterKey.compareTo(p) < 0;
            String from = inclusive ? p : afterKey;
            Iterator<Map.Entry<String, byte[]>> a = base.tailMap(from, inclusive).entrySet().iterator();
            Iterator<Map.Entry<String, byte[]>> b = writes.tailMap(from, inclusive).entrySet().iterator();
            Map.Entry<String, byte[]> x = next(a);
            Map.Entry<String, byte[]> y = next(b);
            int visited = 0;
            while (visited < limit && (x != null || y != null)) {
                Map.Entry<String, byte[]> e;
                int cmp = x == null ? 1 : y == null ? -1 : x.getKey().compareTo(y.getKey());
                if (cmp < 0) {
                    e = x;
                    x = next(a);
                } else {
                    e = y;
                    y = next(b);
                    if (cmp == 0) {
                        x = next(a);
                    }
                }
                if (!e.getKey().startsWith(p)) {
                    return;
                }
                if (e.getValue() != null) {
                    visitor.accept(e.getKey(), e.getValue().clone());
                    visited++;
                }
            }
        }

        private static Map.Entry<String, byte[]> next(Iterator<Map.Entry<String, byte[]>> it) {
            return it.hasNext() ? it.next() : null;
        }

        private static String abbreviate(String s) {
            return s.length() <= 64 ? s : s.substring(0, 61) + "...";
        }
    }
}
