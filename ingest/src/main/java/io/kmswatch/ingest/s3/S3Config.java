package io.kmswatch.ingest.s3;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The S3 bucket source: CloudTrail's delivery layout under {@code <prefix>AWSLogs/}. YAML key
 * {@code sources.s3}.
 *
 * @param buckets       bucket names; at least one
 * @param prefixes      key prefixes in front of {@code AWSLogs/} (the trail's S3 key prefix, with or
 *                      without a trailing slash); default: none ({@code [""]})
 * @param endpointUrl   endpoint override (moto_server, MinIO), or null for AWS
 * @param region        the bucket region; default {@code us-east-1}
 * @param profile       named profile, or null for the default chain
 * @param assumeRoleArn role to assume for reading, or null
 * @param pathStyle     path-style addressing (needed by most S3 emulators); default: true when
 *                      {@code endpointUrl} is set
 * @param follow        keep listing for new log files; default false (one pass)
 * @param pollInterval  pause between listings when following; default 1 minute
 */
public record S3Config(List<String> buckets, List<String> prefixes, String endpointUrl, String region,
                       String profile, String assumeRoleArn, Boolean pathStyle, Boolean follow,
                       Duration pollInterval) {
    public S3Config {
        if (buckets == null || buckets.isEmpty()) {
            throw new IllegalArgumentException("sources.s3.buckets must name at least one bucket");
        }
        buckets = List.copyOf(buckets);
        for (String b : buckets) {
            if (!b.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                throw new IllegalArgumentException("sources.s3.buckets: '" + b + "' is not a bucket name");
            }
        }
        prefixes = prefixes == null || prefixes.isEmpty() ? List.of("")
                : prefixes.stream().map(S3Config::normalizePrefix).toList();
        if (endpointUrl != null) {
            URI u;
            try {
                u = URI.create(endpointUrl);
            } catch (IllegalArgumentException e) {
                u = null;
            }
            if (u == null || u.getScheme() == null || u.getHost() == null) {
                throw new IllegalArgumentException("sources.s3.endpointUrl '" + endpointUrl
                        + "' is not a URL like http://127.0.0.1:5000");
            }
        }
        region = region == null ? "us-east-1" : region;
        pathStyle = pathStyle == null ? endpointUrl != null : pathStyle;
        follow = follow != null && follow;
        pollInterval = pollInterval == null ? Duration.ofMinutes(1) : pollInterval;
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("sources.s3.pollInterval must be positive, got " + pollInterval);
        }
    }

    private static String normalizePrefix(String p) {
        if (p == null || p.isEmpty() || p.equals("/")) {
            return "";
        }
        String s = p.startsWith("/") ? p.substring(1) : p;
        return s.endsWith("/") ? s : s + "/";
    }
}
