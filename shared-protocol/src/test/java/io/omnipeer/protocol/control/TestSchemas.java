package io.omnipeer.protocol.control;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;

/** Loads the protocol's JSON Schemas (draft 2020-12) from the classpath by their {@code $id}, for schema tests. */
final class TestSchemas {
    private static final String BASE = "https://omnipeer.io/schemas/";
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(m -> m.mapPrefix(BASE, "classpath:schemas/")));

    private TestSchemas() {
    }

    /** {@code file} may carry a fragment, e.g. {@code results.schema.json#/$defs/dht.get}. */
    static JsonSchema schema(String file) {
        return FACTORY.getSchema(SchemaLocation.of(BASE + file));
    }
}
