package io.kmswatch.emulator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The two JSON dialects of the emulator. {@link #WIRE} is the AWS JSON 1.1 protocol: PascalCase members,
 * timestamps as epoch-second numbers, blobs as base64, absent members left out. {@link #TRAIL} is how CloudTrail
 * logs the same shapes: camelCase members and KMS's human-readable dates ({@code "Aug 10, 2022, 10:38:27 PM"}).
 */
public final class ApiJson {
    private static final DateTimeFormatter HUMAN =
            DateTimeFormatter.ofPattern("MMM d, yyyy, h:mm:ss a", Locale.US).withZone(ZoneOffset.UTC);

    public static final ObjectMapper WIRE = base()
            .propertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE)
            .addModule(new SimpleModule("wire-time")
                    .addSerializer(Instant.class, new EpochSecondsSerializer())
                    .addDeserializer(Instant.class, new EpochSecondsDeserializer()))
            .build();

    public static final ObjectMapper TRAIL = base()
            .addModule(new SimpleModule("trail-time").addSerializer(Instant.class, new HumanDateSerializer()))
            .build();

    private ApiJson() {
    }

    private static JsonMapper.Builder base() {
        // A member given twice is refused: a proxy that keeps the first and a handler that keeps the last
        // would act on different requests under one signature.
        return JsonMapper.builder(JsonFactory.builder()
                        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
                        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                // a number or boolean where a string member belongs is a SerializationException, as from KMS
                // ("NUMBER_VALUE can not be converted to a String"), not its text
                .withCoercionConfig(LogicalType.Textual, c -> c
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }

    /** KMS's human-readable date form used inside CloudTrail response elements. */
    public static String humanDate(Instant t) {
        return HUMAN.format(t);
    }

    static final class EpochSecondsSerializer extends JsonSerializer<Instant> {
        @Override
        public void serialize(Instant v, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeNumber(BigDecimal.valueOf(v.getEpochSecond()).add(BigDecimal.valueOf(v.getNano() / 1_000_000, 3))
                    .stripTrailingZeros().toPlainString());
        }
    }

    static final class EpochSecondsDeserializer extends JsonDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT || p.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
                BigDecimal d = p.getDecimalValue();
                long s = d.longValue();
                int nanos = d.subtract(BigDecimal.valueOf(s)).movePointRight(9).intValue();
                return Instant.ofEpochSecond(s, nanos);
            }
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                return Instant.parse(p.getText());
            }
            return (Instant) ctx.handleUnexpectedToken(Instant.class, p);
        }
    }

    static final class HumanDateSerializer extends JsonSerializer<Instant> {
        @Override
        public void serialize(Instant v, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeString(HUMAN.format(v));
        }
    }
}
