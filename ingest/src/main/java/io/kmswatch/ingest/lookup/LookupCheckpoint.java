package io.kmswatch.ingest.lookup;

import java.time.Instant;
import java.util.Map;

/**
 * The checkpoint of one account-region poller, stored under {@code lookup:<account>/<region>}.
 *
 * <pre>{@code
 * {"newest": "2024-03-01T12:00:05Z",          // newest eventTime of the completed polls
 *  "seen": {"<eventID>": 1709294405, ...},     // IDs sent within the look-back overlap (epoch seconds)
 *  "cycle": {"start": "...", "maxResults": 50, // a poll in progress: its exact request parameters,
 *            "token": "...", "index": 3,       // the page being read (null token: the first page),
 *            "newest": "..."}}                 // records of that page already handled, newest seen so far
 * }</pre>
 *
 * @param newest null before the first completed poll
 * @param seen   never null
 * @param cycle  null between polls
 */
public record LookupCheckpoint(Instant newest, Map<String, Long> seen, Cycle cycle) {
    public LookupCheckpoint {
        seen = seen == null ? Map.of() : Map.copyOf(seen);
    }

    /**
     * A poll in progress. NextToken paging requires every other parameter to be repeated exactly, so
     * they are kept here, not recomputed on restart.
     *
     * @param start      the request's StartTime
     * @param maxResults the request's MaxResults
     * @param token      the NextToken that fetches the current page; null for the first page
     * @param index      records of the current page already handled
     * @param newest     newest eventTime seen in this poll so far, or null
     */
    public record Cycle(Instant start, int maxResults, String token, int index, Instant newest) {
    }
}
