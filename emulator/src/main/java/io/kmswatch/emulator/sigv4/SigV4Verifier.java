package io.kmswatch.emulator.sigv4;

import io.kmswatch.emulator.sigv4.SigV4Exception.Code;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies AWS Signature Version 4 on requests sent by the AWS SDKs and CLI, header-based form
 * ({@code Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…}).
 *
 * <p>The checks run in the order AWS's JSON services run them, so the same bad request gets the same
 * error as from AWS: Authorization present → its three parts and a date header present → date readable →
 * date within the allowed skew → {@code host} signed → algorithm → credential shape → credential scope
 * (region, service, terminator, date) → access key known → signature. The canonical request follows
 * <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html">Create a signed AWS
 * API request</a>: the path normalized and URI-encoded a second time (as the SDKs do for every service but
 * S3), query parameters decoded, strictly re-encoded and sorted, header values trimmed with inner runs of
 * spaces collapsed and repeated headers joined by commas, and the hex SHA-256 of the body actually received.
 * Because the payload hash is always computed from the received body, a body changed after signing, or one
 * sent as {@code UNSIGNED-PAYLOAD}, fails the signature check.
 *
 * <p>The expected service is taken from {@code X-Amz-Target} when it names one ({@code TrentService.*} is
 * {@code kms}, {@code …CloudTrail_20131101.*} is {@code cloudtrail}); otherwise either is accepted.
 * Signatures are compared in constant time. Thread-safe.
 */
public final class SigV4Verifier {

    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final String TERMINATOR = "aws4_request";
    private static final Set<String> SERVICES = Set.of("kms", "cloudtrail");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final Pattern AMZ_DATE_SHAPE = Pattern.compile("\\d{8}T\\d{6}Z");
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,64}");
    private static final HexFormat HEX = HexFormat.of();

    private final CredentialLookup lookup;
    private final Clock clock;
    private final Duration maxSkew;

    /**
     * @param lookup  finds the secret for an access key id; never null
     * @param clock   the server clock the request time is compared with; never null
     * @param maxSkew how far the request time may be from the clock, either way; AWS uses 5 minutes
     */
    public SigV4Verifier(CredentialLookup lookup, Clock clock, Duration maxSkew) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxSkew = Objects.requireNonNull(maxSkew, "maxSkew");
        if (maxSkew.isNegative()) {
            throw new IllegalArgumentException("maxSkew must not be negative: " + maxSkew);
        }
    }

    /**
     * Checks the request's signature.
     *
     * @param req the request as received; never null
     * @return who signed it, for which region and service, and when
     * @throws SigV4Exception when the request is unsigned, badly signed, signed by an unknown key or too old
     *                        or too new; its code, {@code __type} and message are AWS's
     */
    public VerifiedRequest verify(SignedRequest req) throws SigV4Exception {
        Objects.requireNonNull(req, "req");
        Map<String, List<String>> headers = lowerCaseHeaders(req.headers());

        String authorization = single(headers, "authorization");
        if (authorization == null || !authorization.strip().startsWith("AWS4-")) {
            throw new SigV4Exception(Code.MISSING_AUTHENTICATION_TOKEN, "Request is missing Authentication Token");
        }
        Authorization auth = Authorization.parse(authorization.strip());
        String amzDate = single(headers, "x-amz-date");
        String httpDate = single(headers, "date");
        StringBuilder missing = new StringBuilder();
        for (String part : List.of("Credential", "Signature", "SignedHeaders")) {
            if (auth.param(part) == null || (auth.param(part).isEmpty() && !part.equals("SignedHeaders"))) {
                missing.append("Authorization header requires '").append(part).append("' parameter. ");
            }
        }
        if (amzDate == null && httpDate == null) {
            missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
        }
        if (!missing.isEmpty()) {
            throw new SigV4Exception(Code.INCOMPLETE_SIGNATURE, missing + "Authorization=" + authorization);
        }

        Instant signedAt = parseDate(amzDate, httpDate);
        checkSkew(signedAt);

        List<String> signedHeaders = splitSignedHeaders(auth.param("SignedHeaders"));
        if (!signedHeaders.contains("host") && !signedHeaders.contains(":authority")) {
            throw new SigV4Exception(Code.INVALID_SIGNATURE, "'Host' must be a 'SignedHeader' in the AWS Authorization.");
        }
        if (!ALGORITHM.equals(auth.algorithm())) {
            throw new SigV4Exception(Code.INCOMPLETE_SIGNATURE, "Unsupported AWS 'algorithm': '" + auth.algorithm()
                    + "' (only " + ALGORITHM + " for now). ");
        }

        String credential = auth.param("Credential");
        String[] scope = stripTrailingSlashes(credential).split("/", -1);
        if (scope.length != 5) {
            throw new SigV4Exception(Code.INCOMPLETE_SIGNATURE, "Credential must have exactly 5 slash-delimited "
                    + "elements, e.g. keyid/date/region/service/term, got '" + credential + "'");
        }
        String accessKeyId = scope[0];
        String scopeDate = scope[1];
        String region = scope[2];
        String service = scope[3];
        String expectedDate = AMZ_DATE.format(signedAt).substring(0, 8);
        String expectedService = expectedService(single(headers, "x-amz-target"));
        StringBuilder scopeErrors = new StringBuilder();
        if (!REGION.matcher(region).matches()) {
            scopeErrors.append("Credential should be scoped to a valid region, not '").append(region).append("'. ");
        }
        if (expectedService != null ? !expectedService.equals(service) : !SERVICES.contains(service)) {
            scopeErrors.append("Credential should be scoped to correct service: '")
                    .append(expectedService != null ? expectedService : "kms").append("'. ");
        }
        if (!TERMINATOR.equals(scope[4])) {
            scopeErrors.append("Credential should be scoped with a valid terminator: '" + TERMINATOR + "', not '")
                    .append(scope[4]).append("'. ");
        }
        if (!expectedDate.equals(scopeDate)) {
            scopeErrors.append("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
                            + "HTTP: '").append(scopeDate).append("' != '").append(expectedDate).append("', from '")
                    .append(AMZ_DATE.format(signedAt)).append("'.");
        }
        if (!scopeErrors.isEmpty()) {
            throw new SigV4Exception(Code.INVALID_SIGNATURE, scopeErrors.toString().strip());
        }

        Optional<String> secret = lookup.secretFor(accessKeyId);
        if (secret.isEmpty()) {
            throw new SigV4Exception(Code.UNRECOGNIZED_CLIENT, "The security token included in the request is invalid.");
        }

        // The date line of the string to sign is the header text the client signed, not a re-rendering of it.
        String requestDate = amzDate != null ? amzDate.strip() : AMZ_DATE.format(signedAt);
        String credentialScope = scopeDate + "/" + region + "/" + service + "/" + TERMINATOR;
        String canonicalRequest = CanonicalRequest.build(req.method(), req.path(), req.rawQuery(), headers,
                signedHeaders, req.bodyNoCopy());
        String stringToSign = ALGORITHM + "\n" + requestDate + "\n" + credentialScope + "\n"
                + HEX.formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] expected = signature(secret.get(), scopeDate, region, service, stringToSign);
        byte[] provided = auth.param("Signature").strip().getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(HEX.formatHex(expected).getBytes(StandardCharsets.US_ASCII), provided)) {
            throw new SigV4Exception(Code.INVALID_SIGNATURE, "The request signature we calculated does not match the "
                    + "signature you provided. Check your AWS Secret Access Key and signing method. Consult the "
                    + "service documentation for details.");
        }
        return new VerifiedRequest(accessKeyId, region, service, signedAt);
    }

    private void checkSkew(Instant signedAt) {
        Instant now = clock.instant();
        String minutes = skewText();
        if (signedAt.isBefore(now.minus(maxSkew))) {
            throw new SigV4Exception(Code.SIGNATURE_EXPIRED, "Signature expired: " + AMZ_DATE.format(signedAt)
                    + " is now earlier than " + AMZ_DATE.format(now.minus(maxSkew)) + " (" + AMZ_DATE.format(now)
                    + " - " + minutes + ")");
        }
        if (signedAt.isAfter(now.plus(maxSkew))) {
            throw new SigV4Exception(Code.SIGNATURE_EXPIRED, "Signature not yet current: " + AMZ_DATE.format(signedAt)
                    + " is still later than " + AMZ_DATE.format(now.plus(maxSkew)) + " (" + AMZ_DATE.format(now)
                    + " + " + minutes + ")");
        }
    }

    private String skewText() {
        long seconds = maxSkew.toSeconds();
        return seconds % 60 == 0 ? (seconds / 60) + " min." : seconds + " sec.";
    }

    private static Instant parseDate(String amzDate, String httpDate) {
        if (amzDate != null) {
            String value = amzDate.strip();
            Instant plain = plainAmzDate(value);
            if (plain != null) {
                return plain;
            }
            try {
                if (AMZ_DATE_SHAPE.matcher(value).matches()) {
                    return LocalDateTime.parse(value, AMZ_DATE).toInstant(ZoneOffset.UTC);
                }
            } catch (DateTimeParseException e) {
                // falls through to the AWS error below
            }
            throw badDate(value);
        }
        String value = httpDate.strip();
        try {
            return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw badDate(value);
        }
    }

    /**
     * {@code yyyyMMddTHHmmssZ} read digit by digit, the form every SDK sends: null for anything else (and for a
     * date the calendar refuses), which the formatter then reads or refuses as before. The formatter costs a
     * few microseconds per request; this a few dozen nanoseconds.
     */
    static Instant plainAmzDate(String v) {
        if (v.length() != 16 || v.charAt(8) != 'T' || v.charAt(15) != 'Z') {
            return null;
        }
        int year = digits(v, 0, 4);
        int month = digits(v, 4, 6);
        int day = digits(v, 6, 8);
        int hour = digits(v, 9, 11);
        int minute = digits(v, 11, 13);
        int second = digits(v, 13, 15);
        if ((year | month | day | hour | minute | second) < 0 || year == 0) { // yyyy is the year of the era: 1 on
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    /** The decimal value of {@code v[from, to)}, or -1 unless all of it is ASCII digits. */
    private static int digits(String v, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            int d = v.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            n = n * 10 + d;
        }
        return n;
    }

    private static SigV4Exception badDate(String value) {
        return new SigV4Exception(Code.INCOMPLETE_SIGNATURE, "Date must be in ISO-8601 'basic format'. Got '" + value
                + "'. See http://en.wikipedia.org/wiki/ISO_8601");
    }

    private static String expectedService(String target) {
        if (target == null) {
            return null;
        }
        if (target.startsWith("TrentService.")) {
            return "kms";
        }
        if (target.contains("CloudTrail_20131101.")) {
            return "cloudtrail";
        }
        return null;
    }

    static byte[] signature(String secret, String date, String region, String service, String stringToSign) {
        return hmac(signingKey(secret, date, region, service), stringToSign);
    }

    /**
     * The derived key of a (secret, day, region, service), which AWS's own SDKs cache too: four HMACs saved on
     * every request but the first of the day. Held in memory only, like the secrets it derives from; the cache is
     * emptied when it grows past {@link #SIGNING_KEYS} entries.
     */
    private static byte[] signingKey(String secret, String date, String region, String service) {
        Scope scope = new Scope(secret, date, region, service);
        byte[] key = SIGNING_KEY_CACHE.get(scope);
        if (key == null) {
            key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
            key = hmac(key, region);
            key = hmac(key, service);
            key = hmac(key, TERMINATOR);
            if (SIGNING_KEY_CACHE.size() >= SIGNING_KEYS) {
                SIGNING_KEY_CACHE.clear();
            }
            SIGNING_KEY_CACHE.put(scope, key);
        }
        return key;
    }

    private static final int SIGNING_KEYS = 4096;
    private static final java.util.concurrent.ConcurrentHashMap<Scope, byte[]> SIGNING_KEY_CACHE =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** A cache key; its {@code toString} names no secret. */
    private record Scope(String secret, String date, String region, String service) {
        @Override
        public String toString() {
            return "Scope[" + date + "/" + region + "/" + service + "]";
        }
    }

    private static final ThreadLocal<Mac> HMAC_SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JRE", e);
        }
    });

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = HMAC_SHA256.get();
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 with a raw key cannot fail", e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required of every JRE", e);
        }
    }

    private static Map<String, List<String>> lowerCaseHeaders(Map<String, List<String>> headers) {
        Map<String, List<String>> lower = new LinkedHashMap<>();
        headers.forEach((name, values) -> {
            if (name != null && values != null) {
                lower.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).addAll(values);
            }
        });
        return lower;
    }

    private static String single(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static List<String> splitSignedHeaders(String value) {
        List<String> names = new ArrayList<>();
        for (String name : value.strip().split(";")) {
            if (!name.isBlank()) {
                names.add(name.strip().toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    private static String stripTrailingSlashes(String value) {
        int end = value.length();
        while (end > 0 && value.charAt(end - 1) == '/') {
            end--;
        }
        return value.substring(0, end);
    }

    /** The parts of an {@code Authorization} header: the algorithm, then comma-separated {@code key=value}s. */
    private record Authorization(String algorithm, Map<String, String> params) {
        static Authorization parse(String header) {
            int space = header.indexOf(' ');
            String algorithm = space < 0 ? header : header.substring(0, space);
            Map<String, String> params = new LinkedHashMap<>();
            if (space >= 0) {
                for (String part : header.substring(space + 1).split(",")) {
                    String trimmed = part.strip();
                    int eq = trimmed.indexOf('=');
                    if (eq > 0) {
                        params.putIfAbsent(trimmed.substring(0, eq).strip(), trimmed.substring(eq + 1).strip());
                    }
                }
            }
            return new Authorization(algorithm, params);
        }

        String param(String name) {
            return params.get(name);
        }
    }
}
