package io.kmswatch.emulator.traffic;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.EncryptRequest;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyPairResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.GenerateMacRequest;
import software.amazon.awssdk.services.kms.model.GenerateRandomResponse;
import software.amazon.awssdk.services.kms.model.SignRequest;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Hands every plaintext the simulated clients send or receive to an observer: Encrypt, Sign and GenerateMac
 * inputs, Decrypt outputs, data keys, private keys of data key pairs and random bytes. Used only when a
 * {@link TrafficGenerator#tapPlaintexts(Consumer) tap} is set, so that a leak test knows exactly which secrets
 * the run produced. The observer runs on the client's thread and must not block or keep the array.
 */
final class PlaintextTap implements ExecutionInterceptor {
    private final Consumer<byte[]> observer;

    PlaintextTap(Consumer<byte[]> observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        Object request = context.request();
        if (request instanceof EncryptRequest r) {
            offer(r.plaintext());
        } else if (request instanceof SignRequest r) {
            offer(r.message());
        } else if (request instanceof GenerateMacRequest r) {
            offer(r.message());
        }
    }

    @Override
    public void afterUnmarshalling(Context.AfterUnmarshalling context, ExecutionAttributes attributes) {
        Object response = context.response();
        if (response instanceof DecryptResponse r) {
            offer(r.plaintext());
        } else if (response instanceof GenerateDataKeyResponse r) {
            offer(r.plaintext());
        } else if (response instanceof GenerateDataKeyPairResponse r) {
            offer(r.privateKeyPlaintext());
        } else if (response instanceof GenerateRandomResponse r) {
            offer(r.plaintext());
        }
    }

    private void offer(SdkBytes bytes) {
        if (bytes != null) {
            observer.accept(bytes.asByteArray());
        }
    }
}
