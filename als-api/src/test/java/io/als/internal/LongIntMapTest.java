package io.als.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The id map of the loader, checked against java.util.HashMap through several growths. */
class LongIntMapTest {

    @Test
    void growsFromASmallStartAndKeepsEveryEntry() {
        for (int expected : new int[] {0, 1, 10, 1000}) {
            LongIntMap map = new LongIntMap(expected);
            Map<Long, Integer> reference = new HashMap<>();
            SplittableRandom rnd = new SplittableRandom(expected);
            for (int v = 0; v < 5000; v++) {
                long key = v % 3 == 0 ? v : rnd.nextLong();
                if (!reference.containsKey(key)) {
                    assertEquals(-1, map.get(key));
                    map.putNew(key, reference.size());
                    reference.put(key, reference.size());
                }
                assertEquals(reference.size(), map.size());
            }
            for (Map.Entry<Long, Integer> e : reference.entrySet()) {
                assertEquals(e.getValue(), map.get(e.getKey()), "key " + e.getKey());
            }
            assertEquals(-1, map.get(-7L));
            assertEquals(-1, map.get(Long.MIN_VALUE));
        }
    }
}
