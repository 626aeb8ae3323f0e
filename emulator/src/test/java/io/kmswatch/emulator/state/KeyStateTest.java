package io.kmswatch.emulator.state;

import io.kmswatch.emulator.api.KmsServiceException;
import io.kmswatch.emulator.handler.Handlers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The key-state rules, one row per operation family and state, as the key-state table and the handlers use them. */
class KeyStateTest {
    private static final String ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    @ParameterizedTest(name = "{0} on a {1} key: {2}")
    @CsvSource({
            "Encrypt, ENABLED, ok",
            "Encrypt, DISABLED, DisabledException",
            "Encrypt, PENDING_DELETION, KMSInvalidStateException",
            "Encrypt, PENDING_IMPORT, KMSInvalidStateException",
            "GenerateDataKeyPair, DISABLED, DisabledException",
            "EnableKeyRotation, DISABLED, DisabledException",
            "CreateAlias, DISABLED, ok",
            "CreateAlias, PENDING_IMPORT, ok",
            "CreateAlias, PENDING_DELETION, KMSInvalidStateException",
            "PutKeyPolicy, UNAVAILABLE, KMSInvalidStateException",
            "EnableKey, DISABLED, ok",
            "EnableKey, PENDING_IMPORT, KMSInvalidStateException",
            "DisableKey, PENDING_DELETION, KMSInvalidStateException",
            "GetKeyRotationStatus, PENDING_IMPORT, KMSInvalidStateException",
            "ScheduleKeyDeletion, DISABLED, ok",
            "ScheduleKeyDeletion, PENDING_IMPORT, ok",
            "ScheduleKeyDeletion, PENDING_DELETION, KMSInvalidStateException",
            "CancelKeyDeletion, PENDING_DELETION, ok",
            "CancelKeyDeletion, ENABLED, KMSInvalidStateException",
            "DescribeKey, PENDING_DELETION, ok",
            "GetKeyPolicy, PENDING_IMPORT, ok",
    })
    void shouldApplyTheRuleOfEachOperation(String operation, KeyState state, String expected) {
        if ("ok".equals(expected)) {
            state.checkFor(operation, ARN);
            return;
        }
        KmsServiceException e = catchThrowableOfType(() -> state.checkFor(operation, ARN), KmsServiceException.class);
        assertThat(e).as("%s on %s", operation, state).isNotNull();
        assertThat(e.type()).isEqualTo(expected);
        assertThat(e.getMessage()).startsWith(ARN + " is ");
    }

    @Test
    void shouldUseAwsWordingInMessages() {
        assertThatThrownBy(() -> KeyState.DISABLED.checkFor("Decrypt", ARN)).hasMessage(ARN + " is disabled.");
        assertThatThrownBy(() -> KeyState.PENDING_DELETION.checkFor("Sign", ARN))
                .hasMessage(ARN + " is pending deletion.");
        assertThatThrownBy(() -> KeyState.ENABLED.checkFor("CancelKeyDeletion", ARN))
                .hasMessage(ARN + " is not pending deletion.");
    }

    @Test
    void shouldNameOnlyOperationsTheEmulatorImplements() {
        assertThat(Handlers.all().keySet()).containsAll(KeyState.operations());
    }

    @Test
    void shouldRefuseAnOperationWithoutRule() {
        assertThatThrownBy(() -> KeyState.ENABLED.checkFor("CreateKey", ARN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CreateKey");
    }
}
