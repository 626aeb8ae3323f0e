package io.kmswatch.streams.detect;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.events.Severity;
import io.kmswatch.streams.RuleSettings;
import java.util.List;

/**
 * {@code root-key-usage}: the account root user made a successful KMS call. Root should not be used
 * for day-to-day work; its use on keys suggests stolen root credentials or break-glass activity.
 * One fingerprint per account and key, so repeated calls fold into one alert.
 */
public final class RootKeyUsageDetection extends StatelessDetection {
    public static final String ID = "root-key-usage";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public RuleSettings defaults() {
        return RuleSettings.unset().withEnabled(true).withSeverity(Severity.HIGH);
    }

    @Override
    protected List<Detection> evaluate(KeyEvent ke, RuleContext ctx) {
        CloudTrailEvent e = ke.event();
        if (!e.isKms() || !e.succeeded() || !e.userIdentity().isRoot()) {
            return List.of();
        }
        String account = e.callerAccountId();
        String key = e.keyArn();
        return List.of(Findings.about(ID, ctx.settings().severity(), e).account(account)
                .fingerprintOf(account, key)
                .title("Root user called KMS " + e.eventName() + " in account " + account)
                .summary("The root user of " + account + " called " + e.eventName()
                        + (key != null ? " on " + key : "") + " from " + e.sourceIpAddress() + ".")
                .attr("eventName", e.eventName()).attr("sourceIp", e.sourceIpAddress())
                .runbook(Runbooks.forKey(key, e.awsRegion(), List.of(
                        "Was this break-glass use, announced beforehand? Is MFA on the root user?",
                        "If not expected: rotate the root password, remove root access keys, review other root activity."),
                        "aws cloudtrail lookup-events --lookup-attributes AttributeKey=Username,AttributeValue=root"
                                + " --region " + e.awsRegion() + " --max-results 50"
                                + " --query 'Events[*].[EventTime,EventName,EventSource]' --output table",
                        "aws iam get-account-summary --query 'SummaryMap.[AccountAccessKeysPresent,AccountMFAEnabled]'"))
                .build());
    }
}
