package io.kmswatch.app;

import io.kmswatch.events.CloudTrailCodec;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Rejected;
import io.kmswatch.sigma.CorrelationEngine;
import io.kmswatch.sigma.LoadOptions;
import io.kmswatch.sigma.RuleProblem;
import io.kmswatch.sigma.RuleSet;
import io.kmswatch.sigma.RuleTester;
import io.kmswatch.sigma.SigmaException;
import io.kmswatch.sigma.SigmaRule;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kmswatch rules check PATH…} and {@code kmswatch rules test RULE… --events PATH…}: tools for people who
 * write Sigma rules, on the same engine as {@code kmswatch detect}.
 */
@Command(name = "rules", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Check and test Sigma rules (detection, correlation and filter rules) with the engine that runs them.",
        subcommands = {RulesCommand.Check.class, RulesCommand.Test.class})
final class RulesCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Placeholders given as {@code --placeholder NAME=VALUE} (repeatable; values of one name accumulate). */
    static Map<String, List<String>> placeholders(List<String> specs) {
        Map<String, List<String>> m = new TreeMap<>();
        for (String s : specs) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new RulesCommand()),
                        "--placeholder needs NAME=VALUE, got '" + s + "'");
            }
            m.computeIfAbsent(s.substring(0, eq), k -> new ArrayList<>()).add(s.substring(eq + 1));
        }
        return m;
    }

    @Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Validate rule files and directories: every rule that cannot run is listed with its file,",
                "line, rule and reason. Exit 1 when there is any."})
    static final class Check implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "PATH", description = "Rule files (.yml) or directories of them.")
        List<Path> paths;

        @Option(names = "--placeholder", paramLabel = "NAME=VALUE", description = "A value for an |expand placeholder (repeatable).")
        List<String> placeholders = new ArrayList<>();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            for (Path p : paths) {
                if (!Files.exists(p)) {
                    err.println("kmswatch rules check: no such file or directory: " + p);
                    return 1;
                }
            }
            LoadOptions options = new LoadOptions(false, placeholders(placeholders));
            List<RuleProblem> problems = RuleSet.check(paths, options);
            if (!problems.isEmpty()) {
                problems.forEach(p -> err.println(p));
                err.println(problems.size() + (problems.size() == 1 ? " rule" : " rules") + " cannot run");
                return 1;
            }
            RuleSet set = RuleSet.load(paths, options);
            set.warnings().forEach(w -> err.println("warning: " + w));
            out.println(set.rules().size() + " detection rules (" + set.rules().stream().filter(SigmaRule::standalone).count()
                    + " alerting on their own), " + set.correlations().size() + " correlations, " + set.filters().size()
                    + " filters: OK");
            return 0;
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Run rules over CloudTrail log files (any wrapper, gzip, zip, directories): which records",
                "match which rule, and which correlations fire. Records are taken in event-time order."})
    static final class Test implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "RULE", description = "Rule files (.yml) or directories of them.")
        List<Path> rules;

        @Option(names = "--events", required = true, arity = "1..*", paramLabel = "PATH",
                description = "CloudTrail files or directories to run the rules over.")
        List<Path> events;

        @Option(names = "--lenient", description = "Skip rules that cannot run, with a warning.")
        boolean lenient;

        @Option(names = "--placeholder", paramLabel = "NAME=VALUE", description = "A value for an |expand placeholder (repeatable).")
        List<String> placeholders = new ArrayList<>();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            RuleSet set;
            try {
                set = RuleSet.load(rules, new LoadOptions(lenient, placeholders(placeholders)));
            } catch (SigmaException e) {
                err.println("kmswatch rules test: " + e.getMessage());
                return 1;
            }
            set.warnings().forEach(w -> err.println("warning: " + w));
            List<CloudTrailEvent> records = new ArrayList<>();
            long[] rejected = {0};
            CloudTrailCodec codec = new CloudTrailCodec();
            for (Path p : events) {
                if (!Files.exists(p)) {
                    err.println("kmswatch rules test: no such file or directory: " + p);
                    return 1;
                }
                io.kmswatch.ingest.files.LogFiles.read(codec, p, new CloudTrailCodec.Sink() {
                    @Override
                    public void record(CloudTrailEvent event, String location) {
                        records.add(event);
                    }

                    @Override
                    public void rejected(Rejected r) {
                        rejected[0]++;
                        err.println("rejected " + r.location() + ": " + r.reason());
                    }
                });
            }
            if (records.isEmpty()) {
                err.println("kmswatch rules test: no record could be read from " + events);
                return 1;
            }
            RuleTester.Report report = RuleTester.run(set, records);
            Map<String, Integer> perRule = new TreeMap<>();
            for (RuleTester.Match m : report.matches()) {
                CloudTrailEvent e = m.event();
                for (SigmaRule r : m.rules()) {
                    out.println(e.eventTime() + "  " + e.eventName() + "  " + e.eventId() + "  -> "
                            + (r.standalone() ? "alert " : "hit   ") + r.info().ruleId() + "  " + r.info().title());
                    perRule.merge(r.info().ruleId(), 1, Integer::sum);
                }
            }
            for (CorrelationEngine.Firing f : report.firings()) {
                out.println(Instant.ofEpochMilli(f.firstTime()) + " .. " + Instant.ofEpochMilli(f.lastTime()) + "  "
                        + (f.alerting() ? "alert " : "feeds ") + f.correlation().ruleId() + "  "
                        + f.correlation().info().title() + "  " + f.correlation().type().value() + " " + f.group()
                        + " aggregate=" + f.aggregate() + " events=" + f.eventIds());
            }
            err.println(records.size() + " records (" + rejected[0] + " rejected), " + report.matches().size()
                    + " matched; alerts from: " + (report.alerted().isEmpty() ? "none"
                    : report.alerted().stream().collect(Collectors.joining(", "))));
            return 0;
        }
    }
}
