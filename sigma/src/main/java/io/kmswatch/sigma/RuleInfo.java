package io.kmswatch.sigma;

import java.util.List;
import java.util.Objects;

/**
 * What a detection or correlation rule says about itself, carried into every alert it raises. The Detection Rule
 * License requires the author on every alert raised by a shared rule.
 *
 * @param id             the rule's {@code id}, or null
 * @param name           the rule's {@code name}, or null
 * @param title          never null
 * @param description    never null (may be empty)
 * @param author         never null (may be empty)
 * @param references     never null
 * @param tags           never null (ATT&amp;CK and others, as written)
 * @param falsepositives never null
 * @param level          informational, low, medium, high or critical; null when the rule has none
 * @param status         or null
 * @param file           the file it was read from
 * @param line           1-based line where its document starts
 */
public record RuleInfo(String id, String name, String title, String description, String author,
                       List<String> references, List<String> tags, List<String> falsepositives, String level,
                       String status, String file, int line) {
    public RuleInfo {
        Objects.requireNonNull(title, "title");
        description = description == null ? "" : description;
        author = author == null ? "" : author;
        references = List.copyOf(references == null ? List.of() : references);
        tags = List.copyOf(tags == null ? List.of() : tags);
        falsepositives = List.copyOf(falsepositives == null ? List.of() : falsepositives);
    }

    /** The id alerts carry: the rule's {@code id}, else its {@code name}. */
    public String ruleId() {
        return id != null ? id : name;
    }

    /** How the rule is named in messages: id, name, else title. */
    public String label() {
        return id != null ? id : name != null ? name : title;
    }
}
