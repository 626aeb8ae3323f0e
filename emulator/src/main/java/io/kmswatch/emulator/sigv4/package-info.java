/**
 * AWS Signature Version 4 verification for the requests the AWS SDKs and CLI send to the emulator
 * (header-based {@code AWS4-HMAC-SHA256}, services {@code kms} and {@code cloudtrail}).
 * {@link io.kmswatch.emulator.sigv4.SigV4Verifier} checks a {@link io.kmswatch.emulator.sigv4.SignedRequest}
 * against the secret a {@link io.kmswatch.emulator.sigv4.CredentialLookup} returns and answers who signed it,
 * or refuses it with a {@link io.kmswatch.emulator.sigv4.SigV4Exception} in AWS's words.
 */
package io.kmswatch.emulator.sigv4;
