package io.omnipeer.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code --name value} command-line options and positionals, as the js bench scripts take them. Immutable. */
record Args(List<String> positionals, List<String[]> options) {

    static Args parse(String[] argv) {
        return parse(argv, Set.of());
    }

    /** @param booleanFlags options that take no value (e.g. {@code quick} for {@code --quick}) */
    static Args parse(String[] argv, Set<String> booleanFlags) {
        List<String> pos = new ArrayList<>();
        List<String[]> opts = new ArrayList<>();
        for (int i = 0; i < argv.length; i++) {
            if (argv[i].startsWith("--")) {
                String name = argv[i];
                boolean hasValue = !booleanFlags.contains(name.substring(2)) && i + 1 < argv.length
                        && !argv[i + 1].startsWith("--");
                opts.add(new String[] {name, hasValue ? argv[++i] : "true"});
            } else {
                pos.add(argv[i]);
            }
        }
        return new Args(pos, opts);
    }

    String mode(String fallback) {
        return positionals.isEmpty() ? fallback : positionals.getFirst();
    }

    String get(String name, String fallback) {
        String found = fallback;
        for (String[] o : options) {
            if (o[0].equals("--" + name)) {
                found = o[1];
            }
        }
        return found;
    }

    List<String> all(String name) {
        return options.stream().filter(o -> o[0].equals("--" + name)).map(o -> o[1]).toList();
    }

    long getLong(String name, long fallback) {
        return Long.parseLong(get(name, Long.toString(fallback)));
    }

    int getInt(String name, int fallback) {
        return Integer.parseInt(get(name, Integer.toString(fallback)));
    }
}
