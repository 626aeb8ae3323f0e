package io.kmswatch.streams.detect;

import io.kmswatch.events.KeyArns;
import io.kmswatch.events.Runbook;
import java.util.ArrayList;
import java.util.List;

/**
 * The guide's incident runbooks with the key and region filled in: what to check, and the exact AWS
 * CLI commands (re-enable a key, cancel a deletion then re-enable, find who did it with
 * {@code cloudtrail lookup-events}).
 */
public final class Runbooks {
    private Runbooks() {
    }

    /** Checks plus the given response commands, ending with describe-key and lookup-events on the key. */
    public static Runbook forKey(String keyArn, String region, List<String> checks, String... responses) {
        List<String> commands = new ArrayList<>(List.of(responses));
        if (keyArn != null) {
            String r = region(keyArn, region);
            commands.add("aws kms describe-key --key-id " + keyArn + " --region " + r
                    + " --query 'KeyMetadata.[KeyState,DeletionDate,KeyManager,Origin]'");
            commands.add(lookupByKey(keyArn, r));
        }
        return Runbook.of(checks, commands);
    }

    /** Who touched the key: CloudTrail event history filtered by the key ARN. */
    public static String lookupByKey(String keyArn, String region) {
        return "aws cloudtrail lookup-events --lookup-attributes AttributeKey=ResourceName,AttributeValue=" + keyArn
                + " --region " + region(keyArn, region) + " --max-results 50"
                + " --query 'Events[*].[EventTime,EventName,Username]' --output table";
    }

    /** Recent calls of one operation in a region. */
    public static String lookupByEventName(String eventName, String region) {
        return "aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=" + eventName
                + " --region " + (region == null ? "us-east-1" : region) + " --max-results 50"
                + " --query 'Events[*].[EventTime,Username,Resources[0].ResourceName]' --output table";
    }

    public static String enableKey(String keyArn, String region) {
        return "aws kms enable-key --key-id " + keyArn + " --region " + region(keyArn, region);
    }

    public static String cancelKeyDeletion(String keyArn, String region) {
        return "aws kms cancel-key-deletion --key-id " + keyArn + " --region " + region(keyArn, region);
    }

    public static String getKeyPolicy(String keyArn, String region) {
        return "aws kms get-key-policy --key-id " + keyArn + " --policy-name default --region "
                + region(keyArn, region) + " --output text";
    }

    public static String listGrants(String keyArn, String region) {
        return "aws kms list-grants --key-id " + keyArn + " --region " + region(keyArn, region);
    }

    private static String region(String keyArn, String region) {
        String r = KeyArns.regionOf(keyArn);
        return r != null ? r : region == null ? "us-east-1" : region;
    }
}
