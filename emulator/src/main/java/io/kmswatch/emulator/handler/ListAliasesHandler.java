package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.AliasListEntry;
import io.kmswatch.emulator.api.CallContext;
import io.kmswatch.emulator.api.ListAliasesRequest;
import io.kmswatch.emulator.api.ListAliasesResponse;
import io.kmswatch.emulator.api.OperationHandler;
import io.kmswatch.emulator.api.Paging;
import io.kmswatch.emulator.api.Validation;
import io.kmswatch.emulator.state.Alias;
import io.kmswatch.emulator.state.KmsKey;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * ListAliases: the caller's aliases in the region, optionally only those of one key (key id or ARN), by name.
 * Without a key, the list also holds the predefined {@code alias/aws/*} aliases without {@code TargetKeyId} (nor
 * dates), as AWS lists them: "The response might also include aliases that have no TargetKeyId field. These are
 * predefined aliases that AWS has created but has not yet associated with a KMS key."
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_ListAliases.html">ListAliases</a>
 */
public final class ListAliasesHandler implements OperationHandler<ListAliasesRequest, ListAliasesResponse> {
    @Override
    public String operation() {
        return "ListAliases";
    }

    @Override
    public Class<ListAliasesRequest> requestType() {
        return ListAliasesRequest.class;
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    @Override
    public ListAliasesResponse handle(ListAliasesRequest r, CallContext ctx) {
        Validation.marker(r.marker());
        String filter = null;
        if (r.keyId() != null) {
            KmsKey key = ctx.resolveKey(r.keyId(), "keyId", false);
            filter = key.keyId();
        }
        ctx.authorizeKeyless("kms:ListAliases");
        String f = filter;
        List<Alias> stored = ctx.services().store().aliases(ctx.caller().accountId(), ctx.region());
        List<AliasListEntry> all = new ArrayList<>();
        for (Alias a : stored) {
            if (f == null || a.targetKeyId().equals(f)) {
                all.add(new AliasListEntry(a.aliasName(), a.aliasArn(), a.targetKeyId(), a.creationDate(),
                        a.lastUpdatedDate()));
            }
        }
        if (f == null) {
            // predefined aliases name no key, so a KeyId filter never lists them; one that an AWS managed key
            // took over is already among the stored aliases
            Set<String> taken = new HashSet<>();
            stored.forEach(a -> taken.add(a.aliasName()));
            for (String name : Aliases.PREDEFINED) {
                if (!taken.contains(name)) {
                    all.add(new AliasListEntry(name, "arn:" + ctx.partition() + ":kms:" + ctx.region() + ":"
                            + ctx.caller().accountId() + ":" + name, null, null, null));
                }
            }
            all.sort(Comparator.comparing(AliasListEntry::aliasName));
        }
        Paging.Page<AliasListEntry> p = Paging.page(all, r.limit(), r.marker(), 100);
        return new ListAliasesResponse(p.items(), p.nextMarker(), p.truncated());
    }
}
