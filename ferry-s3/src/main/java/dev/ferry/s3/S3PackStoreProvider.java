package dev.ferry.s3;

import dev.ferry.core.pack.PackStore;
import dev.ferry.core.pack.PackStoreProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Opens {@code s3://bucket/prefix} stores. The endpoint comes from {@code AWS_ENDPOINT_URL} (then
 * path-style addressing, as S3-compatible stores such as MinIO or s3proxy want), credentials and region
 * from the SDK's default chains (environment, profile, instance role); without a configured region,
 * us-east-1.
 */
public final class S3PackStoreProvider implements PackStoreProvider {
    static final String ENDPOINT_ENV = "AWS_ENDPOINT_URL";

    @Override
    public String scheme() {
        return "s3";
    }

    @Override
    public PackStore open(URI url, Path spool) throws IOException {
        // the system property first, as the SDK's own settings go (aws.region, aws.accessKeyId, ...)
        return new S3PackStore(client(System.getProperty("aws.endpointUrl", System.getenv(ENDPOINT_ENV))),
                S3Location.of(url), spool);
    }

    static S3Client client(String endpoint) {
        return client(endpoint, DefaultCredentialsProvider.builder().build());
    }

    static S3Client client(String endpoint, AwsCredentialsProvider credentials) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(credentials)
                .region(region());
        if (endpoint != null && !endpoint.isBlank()) {
            // S3-compatible stores: path-style addressing, and checksums only where S3 requires them
            // (the SDK's default trailing checksums are not understood by all of them)
            builder.endpointOverride(URI.create(endpoint.trim())).forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return builder.build();
    }

    private static Region region() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (RuntimeException none) {
            return Region.US_EAST_1;
        }
    }
}
