package io.kmswatch.sigma;

import static io.kmswatch.sigma.Rules.compile;
import static io.kmswatch.sigma.Rules.matches;
import static io.kmswatch.sigma.Rules.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DetectionSemanticsTest {

    private static String sel(String item) {
        return "    selection:\n        " + item + "\n    condition: selection\n";
    }

    private static String f(String json) {
        return "{\"f\": " + json + "}";
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiterString = ";;", quoteCharacter = '`', textBlock = """
            f: 'a\\*b' ;; "a*b" ;; true
            f: 'a\\*b' ;; "axyzb" ;; false
            f: 'a*b' ;; "axyzb" ;; true
            f: 'a\\\\*' ;; "a\\\\xyz" ;; true
            f: 'a\\\\*' ;; "a\\\\" ;; true
            f: 'a\\\\*' ;; "ab" ;; false
            f: 'a\\\\\\*' ;; "a\\\\*" ;; true
            f: 'a\\\\\\*' ;; "a\\\\x" ;; false
            f: 'a\\\\\\\\b' ;; "a\\\\\\\\b" ;; true
            f: 'C:\\Windows' ;; "C:\\\\Windows" ;; true
            f: 'prog?.exe' ;; "progA.exe" ;; true
            f: 'prog?.exe' ;; "prog.exe" ;; false
            f: 'prog\\?.exe' ;; "prog?.exe" ;; true
            f: 'prog\\?.exe' ;; "progA.exe" ;; false
            """)
    void shouldResolveWildcardsAndEscapesAsSpecified(String item, String value, boolean expected) {
        assertThat(matches(sel(item), f(value))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiterString = ";;", quoteCharacter = '`', textBlock = """
            f: 'deletetrail' ;; "DeleteTrail" ;; true
            f|cased: 'deletetrail' ;; "DeleteTrail" ;; false
            f|cased: 'DeleteTrail' ;; "DeleteTrail" ;; true
            f|contains: 'TRAIL' ;; "DeleteTrail" ;; true
            f|contains|cased: 'TRAIL' ;; "DeleteTrail" ;; false
            f|re: '^delete' ;; "DeleteTrail" ;; false
            f|re|i: '^delete' ;; "DeleteTrail" ;; true
            f|re: 'Tra' ;; "DeleteTrail" ;; true
            f|re: '^Trail' ;; "Delete\\nTrail" ;; false
            f|re|m: '^Trail' ;; "Delete\\nTrail" ;; true
            f|re: 'e.T' ;; "Delete\\nTrail" ;; false
            f|re|s: 'e.T' ;; "Delete\\nTrail" ;; true
            f|re: 'abcd*x'              ;; "zabcxz"      ;; true
            f|re: 'abcd*x'              ;; "ABCX"        ;; false
            f|re|i: 'abcd*x'            ;; "ABCX"        ;; true
            f|re|i: '.+:assumed-role/aws:.+' ;; "arn:aws:sts::1:ASSUMED-ROLE/aws:x" ;; true
            f|re: '.+:assumed-role/aws:.+'   ;; "arn:aws:sts::1:role/x"           ;; false
            f|startswith: 'dele' ;; "DeleteTrail" ;; true
            f|endswith: 'TRAIL' ;; "DeleteTrail" ;; true
            f|endswith: 'Delete' ;; "DeleteTrail" ;; false
            f|neq: 'DeleteTrail' ;; "DeleteTrail" ;; false
            f|neq: 'StopLogging' ;; "DeleteTrail" ;; true
            """)
    void shouldMatchCaseInsensitivelyUnlessCasedOrRegex(String item, String value, boolean expected) {
        assertThat(matches(sel(item), f(value))).isEqualTo(expected);
    }

    @Test
    void shouldRequireEveryValueWithAll() {
        String rule = sel("f|contains|all: ['alpha', 'beta']");
        assertThat(matches(rule, f("\"x alpha y beta\""))).isTrue();
        assertThat(matches(rule, f("\"x alpha y\""))).isFalse();
        // values of an array: each value may be found in a different element
        assertThat(matches(rule, f("[\"alpha\", \"beta\"]"))).isTrue();
    }

    @Test
    void shouldRefuseAllOnOneValue() {
        assertThatThrownBy(() -> compile(sel("f|contains|all: 'alpha'")))
                .isInstanceOf(SigmaException.class)
                .satisfies(e -> {
                    RuleProblem p = ((SigmaException) e).problems().get(0);
                    assertThat(p.file()).isEqualTo("test.yml");
                    assertThat(p.rule()).isEqualTo("r1");
                    assertThat(p.line()).isEqualTo(8);
                    assertThat(p.reason()).contains("|all").contains("one value");
                });
        assertThatThrownBy(() -> compile(sel("f|all: ['only']"))).isInstanceOf(SigmaException.class);
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiterString = ";;", quoteCharacter = '`', textBlock = """
            f: null ;; {"f": null} ;; true
            f: null ;; {} ;; true
            f: null ;; {"f": ""} ;; false
            f: null ;; {"f": "x"} ;; false
            f: '' ;; {"f": ""} ;; true
            f: '' ;; {"f": null} ;; false
            f: '' ;; {} ;; false
            f|exists: true ;; {"f": null} ;; true
            f|exists: true ;; {"f": ""} ;; true
            f|exists: true ;; {} ;; false
            f|exists: false ;; {} ;; true
            f|exists: false ;; {"f": null} ;; false
            a.b|exists: true ;; {"a": {"b": null}} ;; true
            a.b|exists: true ;; {"a": {"c": 1}} ;; false
            a.b|exists: true ;; {"a": [{"c": 1}, {"b": 2}]} ;; true
            """)
    void shouldTellNullEmptyAndMissingApart(String item, String json, boolean expected) {
        assertThat(matches(sel(item), json)).isEqualTo(expected);
    }

    @Test
    void shouldRefuseNullInsideAList() {
        assertThatThrownBy(() -> compile(sel("f: ['', null]"))).isInstanceOf(SigmaException.class)
                .hasMessageContaining("null cannot be part of a list");
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiterString = ";;", quoteCharacter = '`', textBlock = """
            f|gt: 5 ;; 6 ;; true
            f|gt: 5 ;; 5 ;; false
            f|gte: 5 ;; 5 ;; true
            f|lt: 5 ;; 4.5 ;; true
            f|lte: 5 ;; "5" ;; true
            f|gt: 5 ;; "7" ;; true
            f|gt: 5 ;; "abc" ;; false
            f|gt: 5 ;; "7abc" ;; false
            f|gt: 5 ;; "" ;; false
            f|gt: 5 ;; true ;; false
            f|gt: 5 ;; null ;; false
            f|gt: 5 ;; {"a": 9} ;; false
            f|lt: 5 ;; [9, 1] ;; true
            g|gt: 5 ;; 6 ;; false
            """)
    void shouldCompareNumbersAndNeverMatchOrFailOnNonNumbers(String item, String value, boolean expected) {
        assertThat(matches(sel(item), f(value))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiterString = ";;", quoteCharacter = '`', textBlock = """
            f: 4625 ;; 4625 ;; true
            f: 4625 ;; "4625" ;; true
            f: 4625 ;; 46250 ;; false
            f: 4625 ;; 4625.0 ;; true
            f: 'false' ;; false ;; true
            f: false ;; false ;; true
            f: false ;; "FALSE" ;; true
            f: true ;; false ;; false
            f: 'true' ;; "true" ;; true
            f|contains: '"a":1' ;; {"a": 1, "b": 2} ;; true
            f|contains: 'keyId' ;; {"keyId": "k"} ;; true
            f: 'x' ;; ["a", "x"] ;; true
            f: 'x' ;; ["a", "b"] ;; false
            f: 'x' ;; [] ;; false
            f: null ;; [] ;; true
            """)
    void shouldCoerceValuesAsDocumented(String item, String value, boolean expected) {
        assertThat(matches(sel(item), f(value))).isEqualTo(expected);
    }

    @Test
    void shouldMatchAPathThatCrossesAnArrayWhenAnyElementMatches() {
        String rule = sel("resources.ARN|endswith: 'key/abc'");
        assertThat(matches(rule, "{\"resources\": [{\"ARN\": \"arn:aws:kms:us-east-1:1:key/xyz\"},"
                + " {\"ARN\": \"arn:aws:kms:us-east-1:1:key/abc\"}]}")).isTrue();
        assertThat(matches(rule, "{\"resources\": [{\"ARN\": \"arn:aws:kms:us-east-1:1:key/xyz\"}]}")).isFalse();
        // nested arrays
        assertThat(matches(sel("a.b.c: 3"), "{\"a\": [{\"b\": [{\"c\": 1}, {\"c\": 3}]}]}")).isTrue();
        // a key that itself has a dot
        assertThat(matches(sel("a.b: 3"), "{\"a.b\": 3}")).isTrue();
    }

    /** or binds least, then and, then not: {@code a or b and not c} is {@code a or (b and (not c))}. */
    @ParameterizedTest(name = "a={0} b={1} c={2} -> {3}")
    @CsvSource(textBlock = """
            true,  false, false, true
            true,  true,  true,  true
            false, true,  true,  false
            false, true,  false, true
            false, false, false, false
            true,  false, true,  true
            """)
    void shouldBindOrLeastThenAndThenNot(boolean a, boolean b, boolean c, boolean expected) {
        String rule = """
                    a:
                        a: 1
                    b:
                        b: 1
                    c:
                        c: 1
                    condition: a or b and not c
                """;
        String json = "{\"a\": " + (a ? 1 : 0) + ", \"b\": " + (b ? 1 : 0) + ", \"c\": " + (c ? 1 : 0) + "}";
        assertThat(matches(rule, json)).isEqualTo(expected);
        // brackets bind tighter still
        String bracketed = rule.replace("a or b and not c", "(a or b) and not c");
        assertThat(matches(bracketed, json)).isEqualTo((a || b) && !c);
    }

    @Test
    void shouldIgnoreUnderscoreIdentifiersInThem() {
        String rule = """
                    sel:
                        f: x
                    _helper:
                        g: y
                    condition: 1 of them
                """;
        assertThat(matches(rule, "{\"g\": \"y\"}")).isFalse();
        assertThat(matches(rule, "{\"f\": \"x\"}")).isTrue();
        String all = rule.replace("1 of them", "all of them");
        assertThat(matches(all, "{\"f\": \"x\"}")).isTrue();
        assertThat(matches(all, "{\"g\": \"y\"}")).isFalse();
    }

    @Test
    void shouldMatchNotOneOfFiltersWhenTheFilteredFieldsAreAbsent() {
        String rule = """
                    selection:
                        eventName: CreateGrant
                    filter_root:
                        userIdentity.type: Root
                    filter_internal:
                        sourceIPAddress|startswith: '10.'
                    condition: selection and not 1 of filter_*
                """;
        assertThat(matches(rule, "{\"eventName\": \"CreateGrant\"}")).isTrue();
        assertThat(matches(rule, "{\"eventName\": \"CreateGrant\", \"sourceIPAddress\": \"10.1.2.3\"}")).isFalse();
        assertThat(matches(rule, "{\"eventName\": \"CreateGrant\", \"userIdentity\": {\"type\": \"Root\"}}")).isFalse();
        assertThat(matches(rule, "{\"eventName\": \"CreateGrant\", \"userIdentity\": {\"type\": \"IAMUser\"}}")).isTrue();
    }

    @Test
    void shouldCombineAllOfAPatternAndCountedOf() {
        String rule = """
                    sel_a:
                        a: 1
                    sel_b:
                        b: 1
                    sel_c:
                        c: 1
                    condition: all of sel_* or 2 of sel_*
                """;
        assertThat(matches(rule, "{\"a\": 1, \"b\": 1}")).isTrue();
        assertThat(matches(rule, "{\"a\": 1}")).isFalse();
    }

    @Test
    void shouldOrAListOfConditions() {
        String rule = """
                    a:
                        a: 1
                    b:
                        b: 1
                    condition:
                        - a
                        - b
                """;
        assertThat(matches(rule, "{\"b\": 1}")).isTrue();
        assertThat(matches(rule, "{\"c\": 1}")).isFalse();
    }

    @Test
    void shouldOrListsOfMapsAndAndMapItems() {
        String rule = """
                    selection:
                        - eventName: A
                          f: 1
                        - eventName: B
                    condition: selection
                """;
        assertThat(matches(rule, "{\"eventName\": \"A\", \"f\": 1}")).isTrue();
        assertThat(matches(rule, "{\"eventName\": \"A\"}")).isFalse();
        assertThat(matches(rule, "{\"eventName\": \"B\"}")).isTrue();
    }

    @Test
    void shouldSearchKeywordsInEveryValue() {
        String rule = """
                    keywords:
                        - 'evilcorp'
                        - 'mimikatz'
                    condition: keywords
                """;
        assertThat(matches(rule, "{\"a\": {\"b\": [\"x\", \"hello EvilCorp admin\"]}}")).isTrue();
        assertThat(matches(rule, "{\"evilcorp\": \"field names are not values\"}")).isFalse();
        String all = """
                    keywords:
                        '|all':
                            - 'alpha'
                            - 'beta'
                    condition: keywords
                """;
        assertThat(matches(all, "{\"a\": \"alpha\", \"b\": [\"beta\"]}")).isTrue();
        assertThat(matches(all, "{\"a\": \"alpha\"}")).isFalse();
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiterString = ";;", quoteCharacter = '`', textBlock = """
            f|cidr: '10.0.0.0/8' ;; "10.20.30.40" ;; true
            f|cidr: '10.0.0.0/8' ;; "11.0.0.1" ;; false
            f|cidr: '192.168.1.0/23' ;; "192.168.0.9" ;; true
            f|cidr: '192.168.1.0/24' ;; "192.168.0.9" ;; false
            f|cidr: '2001:db8::/32' ;; "2001:db8:1::5" ;; true
            f|cidr: '2001:db8::/32' ;; "2001:db9::5" ;; false
            f|cidr: '10.0.0.0/8' ;; "AWS Internal" ;; false
            f|cidr: '10.0.0.0/8' ;; "kms.amazonaws.com" ;; false
            f|windash: '-force' ;; "/force" ;; true
            f|windash: '-force' ;; "\u2013force" ;; true
            f|windash: '-force' ;; "+force" ;; false
            f|base64: 'secret' ;; "c2VjcmV0" ;; true
            f|base64offset|contains: 'http://' ;; "dGVzdCBodHRwOi8vZXZpbA==" ;; true
            f|base64offset|contains: 'http://' ;; "eCBodHRwOi8v" ;; true
            f|base64offset|contains: 'http://' ;; "aGVsbG8=" ;; false
            f|wide|base64: 'cmd' ;; "YwBtAGQA" ;; true
            f|utf16le|base64: 'cmd' ;; "YwBtAGQA" ;; true
            f|utf16be|base64: 'cmd' ;; "AGMAbQBk" ;; true
            f|utf16|base64: 'cmd' ;; "//5jAG0AZAA=" ;; true
            f|hour: 11 ;; "2023-07-10T11:42:18Z" ;; true
            f|hour: 12 ;; "2023-07-10T11:42:18Z" ;; false
            f|hour|gte: 22 ;; "2023-07-10T23:00:00Z" ;; true
            f|minute: 42 ;; "2023-07-10T11:42:18Z" ;; true
            f|day: 10 ;; "2023-07-10T11:42:18Z" ;; true
            f|month: 7 ;; "2023-07-10T11:42:18Z" ;; true
            f|year: 2023 ;; "2023-07-10T11:42:18Z" ;; true
            f|week: 28 ;; "2023-07-10T11:42:18Z" ;; true
            f|hour: 11 ;; "not a time" ;; false
            """)
    void shouldApplyEveryModifier(String item, String value, boolean expected) {
        assertThat(matches(sel(item), f(value))).isEqualTo(expected);
    }

    @Test
    void shouldCompareFieldsWithFieldref() {
        String eq = sel("userIdentity.userName|fieldref: requestParameters.userName");
        assertThat(matches(eq, "{\"userIdentity\": {\"userName\": \"Bob\"}, \"requestParameters\": {\"userName\": \"bob\"}}"))
                .isTrue();
        assertThat(matches(eq, "{\"userIdentity\": {\"userName\": \"Bob\"}, \"requestParameters\": {\"userName\": \"eve\"}}"))
                .isFalse();
        assertThat(matches(eq, "{\"userIdentity\": {\"userName\": \"Bob\"}}")).isFalse();
        String neq = sel("userIdentity.userName|fieldref|neq: requestParameters.userName");
        assertThat(matches(neq, "{\"userIdentity\": {\"userName\": \"Bob\"}, \"requestParameters\": {\"userName\": \"eve\"}}"))
                .isTrue();
        String starts = sel("f|fieldref|startswith: g");
        assertThat(matches(starts, "{\"f\": \"abc*def\", \"g\": \"ABC*\"}")).isTrue();
        assertThat(matches(starts, "{\"f\": \"abcxdef\", \"g\": \"abc*\"}")).isFalse();
    }

    @Test
    void shouldExpandPlaceholdersFromTheOptions() {
        String rule = Rules.rule("r1", sel("userIdentity.userName|expand: '%Administrators%'"));
        LoadOptions opts = new LoadOptions(false, java.util.Map.of("Administrators", java.util.List.of("admin-*", "root")));
        RuleSet set = RuleSet.parse(rule, "t.yml", opts);
        assertThat(set.match(SigmaRecord.of(record("{\"userIdentity\": {\"userName\": \"admin-7\"}}")))).hasSize(1);
        assertThat(set.match(SigmaRecord.of(record("{\"userIdentity\": {\"userName\": \"root\"}}")))).hasSize(1);
        assertThat(set.match(SigmaRecord.of(record("{\"userIdentity\": {\"userName\": \"bob\"}}")))).isEmpty();
        // without a value the rule cannot run; '%x%' without expand is a literal
        assertThatThrownBy(() -> RuleSet.parse(rule, "t.yml", LoadOptions.strict()))
                .hasMessageContaining("%Administrators%");
        assertThat(matches(sel("f: '%Administrators%'"), f("\"%Administrators%\""))).isTrue();
        RuleSet escaped = RuleSet.parse(Rules.rule("r2", sel("f|expand: '\\%plain%Administrators%'")), "t.yml", opts);
        assertThat(escaped.match(SigmaRecord.of(record(f("\"%plainroot\""))))).hasSize(1);
    }

    @Test
    void shouldRefuseARuleThatCannotRunWithFileLineRuleAndReason() {
        String text = Rules.rule("good", sel("f: 1")) + "---\n" + Rules.rule("bad", sel("f|frobnicate: 1"));
        assertThatThrownBy(() -> RuleSet.parse(text, "two.yml", LoadOptions.strict()))
                .isInstanceOfSatisfying(SigmaException.class, e -> {
                    assertThat(e.problems()).hasSize(1);
                    RuleProblem p = e.problems().get(0);
                    assertThat(p).isEqualTo(new RuleProblem("two.yml", 19, "bad",
                            "unknown modifier 'frobnicate' in 'f|frobnicate'"));
                    assertThat(e.getMessage()).contains("two.yml:19: rule 'bad': unknown modifier 'frobnicate'");
                });
        RuleSet lenient = RuleSet.parse(text, "two.yml", LoadOptions.lenientOptions());
        assertThat(lenient.rules()).extracting(r -> r.info().id()).containsExactly("good");
        assertThat(lenient.warnings()).singleElement().asString().contains("two.yml:19").contains("frobnicate");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = ";;", textBlock = """
            selection and ;; ends where
            selection or nothere ;; unknown search identifier 'nothere'
            (selection ;; missing ')'
            selection | count() > 5 ;; legacy aggregation
            1 of nomatch* ;; matches no search identifier
            selection selection ;; unexpected 'selection'
            """)
    void shouldRefuseBadConditions(String condition, String reason) {
        String det = "    selection:\n        f: 1\n    condition: '" + condition + "'\n";
        assertThatThrownBy(() -> compile(det)).isInstanceOf(SigmaException.class).hasMessageContaining(reason);
    }

    @Test
    void shouldRefuseRulesForOtherLogSources() {
        String text = Rules.rule("w", sel("f: 1")).replace("product: aws", "product: windows");
        assertThatThrownBy(() -> RuleSet.parse(text, "w.yml", LoadOptions.strict())).hasMessageContaining("not AWS CloudTrail");
    }

    @Test
    void shouldRefuseAnInvalidRegexAndCidrAtLoad() {
        assertThatThrownBy(() -> compile(sel("f|re: '(unclosed'"))).hasMessageContaining("invalid regular expression");
        assertThatThrownBy(() -> compile(sel("f|cidr: '10.0.0.0/33'"))).hasMessageContaining("prefix length");
        assertThatThrownBy(() -> compile(sel("f|gt: 'abc'"))).hasMessageContaining("not a number");
        assertThatThrownBy(() -> compile(sel("f|i: 'abc'"))).hasMessageContaining("only after 're'");
    }

    @Test
    void shouldApplyAFilterToTheRulesItNamesAsAnAddedCondition() {
        String text = Rules.rule("r1", sel("eventName: CreateGrant")) + "name: grant_rule\n---\n"
                + Rules.rule("r2", sel("eventName: CreateGrant"))
                + "---\n"
                + """
                title: Ignore the deployer
                logsource:
                    product: aws
                    service: cloudtrail
                filter:
                    rules:
                        - grant_rule
                    selection:
                        userIdentity.arn|endswith: ':role/deployer'
                    condition: not selection
                """;
        RuleSet set = RuleSet.parse(text, "f.yml", LoadOptions.strict());
        var deployer = SigmaRecord.of(record("{\"eventName\": \"CreateGrant\", \"userIdentity\": {\"arn\": \"arn:aws:iam::1:role/deployer\"}}"));
        var other = SigmaRecord.of(record("{\"eventName\": \"CreateGrant\", \"userIdentity\": {\"arn\": \"arn:aws:iam::1:role/eve\"}}"));
        assertThat(set.match(deployer)).extracting(r -> r.info().id()).containsExactly("r2");
        assertThat(set.match(other)).extracting(r -> r.info().id()).containsExactly("r1", "r2");
    }

    @Test
    void shouldTryARuleOnlyOnRecordsWithAnEventNameItCanMatch() {
        RuleSet set = compile("""
                    selection:
                        eventName:
                            - DeleteTrail
                            - StopLogging
                        f: 1
                    condition: selection
                """);
        AtomicInteger parsed = new AtomicInteger();
        var unrelated = SigmaRecord.lazy("kms.amazonaws.com", "Decrypt", () -> {
            parsed.incrementAndGet();
            return record("{\"eventName\": \"Decrypt\", \"f\": 1}");
        });
        assertThat(set.match(unrelated)).isEmpty();
        assertThat(parsed).hasValue(0);
        var candidate = SigmaRecord.lazy("cloudtrail.amazonaws.com", "stoplogging", () -> {
            parsed.incrementAndGet();
            return record("{\"eventName\": \"stoplogging\", \"f\": 1}");
        });
        assertThat(set.match(candidate)).hasSize(1);
        assertThat(parsed).hasValue(1);
    }
}
