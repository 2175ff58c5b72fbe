package org.erpchat.bench.scenario;

import tools.jackson.databind.node.ObjectNode;

/** One benchmark scenario: it runs against the target and returns its figures; its plot goes to the output dir. */
public interface Scenario {

    String name();

    ObjectNode run(Bench bench);
}
