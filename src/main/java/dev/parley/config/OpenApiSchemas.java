package dev.parley.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.jackson.TypeNameResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import java.lang.reflect.RecordComponent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Schemas a client generator can take literally. Records are the DTOs, so a record says it all: a component
 * annotated {@link Nullable} may be null (and, in a request, left out); every other component is required.
 * Responses always carry every field (Jackson's inclusion is {@code always}), so in a response schema a nullable
 * field is still required, unless its component is {@code @JsonInclude(NON_NULL)}. Patterns are turned from Java
 * regular expressions, which match the whole value, into anchored ECMA-262 ones as JSON Schema reads them.
 */
// swagger-core's Schema is generic over its example type, which nothing here needs.
@SuppressWarnings({"rawtypes", "unchecked"})
final class OpenApiSchemas {

    /** Marks, on a property schema, a field left out of the JSON when null; removed before the document is served. */
    private static final String OMITTED_WHEN_NULL = "x-parley-omitted-when-null";

    private static final PropertyNamingStrategies.NamingBase SNAKE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
    /** A Java pattern that only lists literal words: an enum, which generators turn into a union type. */
    private static final Pattern WORD_ALTERNATIVES = Pattern.compile("[a-z_]+(\\|[a-z_]+)+");

    private OpenApiSchemas() {}

    /**
     * swagger-core's resolver with snake_case names (it describes schemas with its own Jackson 2 mapper, which
     * knows nothing of the application's Jackson 3 naming setting), and nullability and required fields from
     * record components.
     */
    static final class RecordResolver extends ModelResolver {

        RecordResolver() {
            super(
                    Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE),
                    new FeatureTypeNames());
        }

        @Override
        public Schema resolve(AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
            Schema resolved = super.resolve(type, context, chain);
            Class<?> raw = type.getType() == null
                    ? null
                    : Json.mapper().constructType(type.getType()).getRawClass();
            if (resolved == null || raw == null || !raw.isRecord()) {
                return resolved;
            }
            Schema model = resolved;
            if (resolved.get$ref() != null) {
                String name = resolved.get$ref().substring(resolved.get$ref().lastIndexOf('/') + 1);
                model = context.getDefinedModels().get(name);
            }
            if (model != null && model.getProperties() != null) {
                describe(model, raw);
            }
            return resolved;
        }

        private static void describe(Schema model, Class<?> record) {
            List<String> required = new ArrayList<>();
            for (RecordComponent component : record.getRecordComponents()) {
                String name = SNAKE.translate(component.getName());
                Map<String, Schema> properties = model.getProperties();
                Schema property = properties.get(name);
                if (property == null) {
                    continue;
                }
                boolean nullable = component.getAnnotatedType().isAnnotationPresent(Nullable.class);
                JsonInclude include = component.getAccessor().getAnnotation(JsonInclude.class);
                boolean omittedWhenNull = include != null && include.value() != JsonInclude.Include.ALWAYS;
                if (nullable || omittedWhenNull) {
                    property = nullable(property);
                    properties.put(name, property);
                }
                if (omittedWhenNull) {
                    property.addExtension(OMITTED_WHEN_NULL, true);
                } else if (!nullable) {
                    required.add(name);
                }
            }
            model.setRequired(required.isEmpty() ? null : required);
        }
    }

    /**
     * Schema names that say whose they are: a nested record takes its feature's name in front ({@code
     * ConversationRequests.Create} is {@code ConversationCreate}, {@code ConversationView.Page} {@code
     * ConversationPage}) unless it already carries it ({@code ReactionService.Reactions}). Two features' nested
     * {@code Page}s would otherwise share one schema name, and the second would silently replace the first.
     */
    static final class FeatureTypeNames extends TypeNameResolver {

        private static final Pattern ROLE_SUFFIX = Pattern.compile("(Requests|View|Service|Controller)$");

        @Override
        protected String getNameOfClass(Class<?> type) {
            String name = super.getNameOfClass(type);
            Class<?> outer = type.getEnclosingClass();
            if (outer == null || !name.equals(type.getSimpleName())) {
                return name;
            }
            String feature = ROLE_SUFFIX.matcher(outer.getSimpleName()).replaceFirst("");
            return name.contains(feature) ? name : feature + name;
        }
    }

    /** {@code property}, allowing null as well. */
    private static Schema nullable(Schema property) {
        if (property.get$ref() != null) {
            Schema<Object> either = new Schema<>();
            either.setAnyOf(List.of(new Schema<>().$ref(property.get$ref()), new Schema<>().types(Set.of("null"))));
            either.setDescription(property.getDescription());
            return either;
        }
        Set<String> types = new LinkedHashSet<>();
        if (property.getTypes() != null) {
            types.addAll(property.getTypes());
        } else if (property.getType() != null) {
            types.add(property.getType());
        }
        types.add("null");
        property.setTypes(types);
        if (property.getEnum() != null && !property.getEnum().contains(null)) {
            property.addEnumItemObject(null);
        }
        return property;
    }

    /** The rules that need the whole document: response schemas, patterns, object types. */
    static void finish(OpenAPI openApi) {
        Map<String, Schema> components = openApi.getComponents().getSchemas();
        if (components == null) {
            return;
        }
        Set<String> requests = reachable(requestSchemas(openApi), components);
        components.forEach((name, schema) -> {
            // swagger-core sets the 3.0 "type" of a model but not the 3.1 "types" the document is written from.
            if (schema.getProperties() != null
                    && (schema.getTypes() == null || schema.getTypes().isEmpty())) {
                schema.setTypes(Set.of("object"));
            }
            if (!requests.contains(name) && schema.getProperties() != null) {
                requireEveryAlwaysPresentField(schema);
            }
        });
        every(openApi, OpenApiSchemas::translatePattern);
        every(openApi, schema -> {
            if (schema.getExtensions() != null) {
                schema.getExtensions().remove(OMITTED_WHEN_NULL);
                if (schema.getExtensions().isEmpty()) {
                    schema.setExtensions(null);
                }
            }
        });
    }

    private static void requireEveryAlwaysPresentField(Schema schema) {
        List<String> required = new ArrayList<>();
        Map<String, Schema> properties = schema.getProperties();
        properties.forEach((field, property) -> {
            boolean omitted =
                    property.getExtensions() != null && property.getExtensions().containsKey(OMITTED_WHEN_NULL);
            if (!omitted) {
                required.add(field);
            }
        });
        schema.setRequired(required.isEmpty() ? null : required);
    }

    private static List<Schema> requestSchemas(OpenAPI openApi) {
        List<Schema> roots = new ArrayList<>();
        operations(openApi).forEach(operation -> {
            if (operation.getRequestBody() != null) {
                roots.addAll(schemas(operation.getRequestBody().getContent()));
            }
        });
        return roots;
    }

    /** The names of the component schemas {@code roots} refer to, directly or through others. */
    private static Set<String> reachable(List<Schema> roots, Map<String, Schema> components) {
        Set<String> names = new HashSet<>();
        Deque<Schema> pending = new ArrayDeque<>(roots);
        Set<Schema> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        while (!pending.isEmpty()) {
            Schema schema = pending.pop();
            if (!seen.add(schema)) {
                continue;
            }
            if (schema.get$ref() != null) {
                String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
                if (names.add(name) && components.get(name) != null) {
                    pending.push(components.get(name));
                }
            }
            children(schema).forEach(pending::push);
        }
        return names;
    }

    /** Applies {@code action} to every schema of the document, nested ones included. */
    private static void every(OpenAPI openApi, Consumer<Schema> action) {
        Deque<Schema> pending = new ArrayDeque<>();
        openApi.getComponents().getSchemas().values().forEach(pending::push);
        operations(openApi).forEach(operation -> {
            if (operation.getParameters() != null) {
                operation.getParameters().stream()
                        .map(Parameter::getSchema)
                        .filter(Objects::nonNull)
                        .forEach(pending::push);
            }
            if (operation.getRequestBody() != null) {
                schemas(operation.getRequestBody().getContent()).forEach(pending::push);
            }
            if (operation.getResponses() != null) {
                operation
                        .getResponses()
                        .values()
                        .forEach(r -> schemas(r.getContent()).forEach(pending::push));
            }
        });
        Set<Schema> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        while (!pending.isEmpty()) {
            Schema schema = pending.pop();
            if (seen.add(schema)) {
                action.accept(schema);
                children(schema).forEach(pending::push);
            }
        }
    }

    private static List<Operation> operations(OpenAPI openApi) {
        return openApi.getPaths() == null
                ? List.of()
                : openApi.getPaths().values().stream()
                        .flatMap(item -> item.readOperations().stream())
                        .toList();
    }

    private static List<Schema> schemas(Content content) {
        return content == null
                ? List.of()
                : content.values().stream()
                        .map(media -> media.getSchema())
                        .filter(Objects::nonNull)
                        .toList();
    }

    private static List<Schema> children(Schema schema) {
        List<Schema> children = new ArrayList<>();
        if (schema.getProperties() != null) {
            children.addAll(schema.getProperties().values());
        }
        if (schema.getItems() != null) {
            children.add(schema.getItems());
        }
        if (schema.getAdditionalProperties() instanceof Schema values) {
            children.add(values);
        }
        for (List<Schema> group :
                List.of(nonNull(schema.getAnyOf()), nonNull(schema.getOneOf()), nonNull(schema.getAllOf()))) {
            children.addAll(group);
        }
        return children;
    }

    private static List<Schema> nonNull(List<Schema> list) {
        return list == null ? List.of() : list;
    }

    /**
     * A Java pattern as JSON Schema reads it: anchored (Java's {@code matches} takes the whole value, JSON Schema
     * searches), with a leading {@code (?i)} spelt out as letter classes (ECMA-262 has no inline flags), and a
     * pattern that only lists words becomes an enum.
     */
    private static void translatePattern(Schema schema) {
        String java = schema.getPattern();
        if (java == null) {
            return;
        }
        if (WORD_ALTERNATIVES.matcher(java).matches() && schema.getEnum() == null) {
            schema.setPattern(null);
            List<String> words = List.of(java.split("\\|"));
            words.forEach(schema::addEnumItemObject);
            return;
        }
        schema.setPattern(ecma(java));
    }

    static String ecma(String java) {
        String body = java;
        if (body.startsWith("(?i)")) {
            body = caseless(body.substring(4));
        }
        if (body.contains("(?") && !body.contains("(?:")) {
            throw new IllegalStateException(
                    "A pattern with Java-only syntax cannot go into the OpenAPI document: " + java);
        }
        return "^(?:" + body + ")$";
    }

    /** Each ASCII letter outside escapes becomes {@code [aA]}; letters inside a class would need more care. */
    private static String caseless(String pattern) {
        StringBuilder out = new StringBuilder();
        boolean inClass = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                out.append(c).append(pattern.charAt(++i));
            } else if (c == '[') {
                inClass = true;
                out.append(c);
            } else if (c == ']') {
                inClass = false;
                out.append(c);
            } else if (Character.isLetter(c) && c < 128) {
                if (inClass) {
                    throw new IllegalStateException("(?i) over a character class with letters: " + pattern);
                }
                out.append('[')
                        .append(Character.toLowerCase(c))
                        .append(Character.toUpperCase(c))
                        .append(']');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
