package io.omnipeer.control;

import io.omnipeer.node.Node;

/** Gives tests in other packages the control package's test {@link Node}. */
public final class TestNodes {
    private TestNodes() {
    }

    public static Node create() {
        return new TestNode();
    }
}
