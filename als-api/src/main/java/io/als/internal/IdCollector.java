package io.als.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives each distinct id a provisional code in order of first appearance. Ids start out
 * numeric; the first id that is not a number switches the collector to strings, keeping
 * every code already handed out.
 */
public final class IdCollector {
    private LongIntMap numericCodes = new LongIntMap(1024);
    private long[] numericByCode = new long[1024];
    private Map<String, Integer> stringCodes;
    private List<String> stringByCode;
    private int size;

    public int size() {
        return size;
    }

    public boolean isNumeric() {
        return stringCodes == null;
    }

    public int code(long id) {
        if (stringCodes != null) {
            return code(Long.toString(id));
        }
        int c = numericCodes.get(id);
        if (c < 0) {
            c = size++;
            if (c == numericByCode.length) {
                numericByCode = Arrays.copyOf(numericByCode, c * 2);
            }
            numericByCode[c] = id;
            numericCodes.putNew(id, c);
        }
        return c;
    }

    public int code(String id) {
        if (stringCodes == null) {
            Long parsed = parseCanonicalLong(id);
            if (parsed != null) {
                return code(parsed.longValue());
            }
            switchToStrings();
        }
        Integer c = stringCodes.get(id);
        if (c == null) {
            c = size++;
            stringCodes.put(id, c);
            stringByCode.add(id);
        }
        return c;
    }

    /** Numeric id per code; only while numeric. */
    public long[] numericIds() {
        return Arrays.copyOf(numericByCode, size);
    }

    /** String id per code (numeric ids as their decimal text). */
    public String[] stringIds() {
        if (stringCodes == null) {
            String[] out = new String[size];
            for (int i = 0; i < size; i++) {
                out[i] = Long.toString(numericByCode[i]);
            }
            return out;
        }
        return stringByCode.toArray(new String[0]);
    }

    private void switchToStrings() {
        stringCodes = new HashMap<>();
        stringByCode = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String s = Long.toString(numericByCode[i]);
            stringCodes.put(s, i);
            stringByCode.add(s);
        }
        numericCodes = null;
        numericByCode = null;
    }

    /** The value of text that is exactly a long's canonical decimal form ("7", "-3"; not "07" or "+7"), else null. */
    static Long parseCanonicalLong(String s) {
        int n = s.length();
        if (n == 0 || n > 20) {
            return null;
        }
        int i = s.charAt(0) == '-' ? 1 : 0;
        if (i == n || (s.charAt(i) == '0' && n > i + 1)) {
            return null;
        }
        for (int j = i; j < n; j++) {
            char ch = s.charAt(j);
            if (ch < '0' || ch > '9') {
                return null;
            }
        }
        try {
            long v = Long.parseLong(s);
            return v == 0 && i == 1 ? null : v;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
