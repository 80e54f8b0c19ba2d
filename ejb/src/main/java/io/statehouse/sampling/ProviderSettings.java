package io.statehouse.sampling;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import org.eclipse.microprofile.config.Config;

/**
 * One configured provider as the operator wrote it under {@code statehouse.sampling.provider.<name>.}:
 * its type, endpoint, secret, models with ratings, timeout and token cap. Secrets are kept here and
 * handed to the provider library only; {@link #toString()} never shows them.
 *
 * @param name            the provider's name, as BPMN elements refer to it
 * @param type            which API it speaks
 * @param baseUrl         the endpoint, or null for the provider's public one
 * @param apiKey          the key (secret), or null
 * @param models          the models with the operator's ratings, in configured order
 * @param timeout         for one call, from connect to the whole answer
 * @param maxTokensCap    the most tokens any call may ask for, or null for no cap
 * @param region          the AWS region (Bedrock), or null
 * @param accessKeyId     the AWS access key id (Bedrock), or null for the default credentials chain
 * @param secretAccessKey the AWS secret access key (Bedrock, secret), or null
 */
public record ProviderSettings(String name, Type type, String baseUrl, String apiKey, List<SamplingProvider.ModelRating> models,
        Duration timeout, Integer maxTokensCap, String region, String accessKeyId, String secretAccessKey) {

    /** The prefix of every sampling property. */
    public static final String PREFIX = "statehouse.sampling.";

    /** The property that lists the provider names, comma-separated. */
    public static final String PROVIDERS = PREFIX + "providers";

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    static final double DEFAULT_RATING = 0.5;

    /** The APIs a provider can speak. */
    public enum Type {
        /** OpenAI's Chat Completions API: OpenAI itself, Ollama, vLLM, LM Studio, most gateways. */
        OPENAI,
        /** Anthropic's Messages API. */
        ANTHROPIC,
        /** Google's Gemini API (generateContent). */
        GEMINI,
        /** Amazon Bedrock's Converse API. */
        BEDROCK;

        static Type parse(String key, String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + " is '" + value + "': expected openai, anthropic, gemini or bedrock");
            }
        }
    }

    public ProviderSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        models = List.copyOf(models);
        if (models.isEmpty()) {
            throw new IllegalArgumentException(key(name, "models") + " is not set: name at least one model");
        }
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    }

    /** The full property name of a setting of the named provider. */
    public static String key(String provider, String setting) {
        return PREFIX + "provider." + provider + "." + setting;
    }

    /** The provider names listed in {@value #PROVIDERS}, in order; empty when none is configured. */
    public static List<String> names(Config config) {
        return commaList(config.getOptionalValue(PROVIDERS, String.class).orElse(""));
    }

    /**
     * Reads the named provider's settings.
     *
     * @throws IllegalArgumentException naming the property that is missing or malformed
     */
    public static ProviderSettings read(Config config, String name) {
        Type type = Type.parse(key(name, "type"), required(config, key(name, "type")));
        List<SamplingProvider.ModelRating> models = new ArrayList<>();
        for (String model : commaList(string(config, key(name, "models")).orElse(""))) {
            models.add(new SamplingProvider.ModelRating(model,
                    rating(config, key(name, "model." + model + ".cost")),
                    rating(config, key(name, "model." + model + ".speed")),
                    rating(config, key(name, "model." + model + ".intelligence"))));
        }
        Duration timeout = string(config, key(name, "timeout")).map(v -> duration(key(name, "timeout"), v)).orElse(null);
        Integer cap = string(config, key(name, "max-tokens")).map(v -> positiveInt(key(name, "max-tokens"), v)).orElse(null);
        return new ProviderSettings(name, type, string(config, key(name, "base-url")).orElse(null),
                string(config, key(name, "api-key")).orElse(null), models, timeout, cap,
                string(config, key(name, "region")).orElse(null), string(config, key(name, "access-key-id")).orElse(null),
                string(config, key(name, "secret-access-key")).orElse(null));
    }

    /** The tokens to ask for: the request's, lowered to the cap. */
    public int cappedMaxTokens(int requested) {
        return maxTokensCap == null ? requested : Math.min(requested, maxTokensCap);
    }

    /** The API key, or a clear error naming the property when the provider type needs one. */
    String requireApiKey() {
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException(key(name, "api-key") + " is not set: a " + type.name().toLowerCase(Locale.ROOT)
                    + " provider needs a key");
        }
        return apiKey;
    }

    @Override
    public String toString() {
        return "ProviderSettings[name=" + name + ", type=" + type + ", baseUrl=" + baseUrl + ", apiKey="
                + (apiKey == null ? "unset" : "***") + ", models=" + models + ", timeout=" + timeout + ", maxTokensCap="
                + maxTokensCap + ", region=" + region + ", accessKeyId=" + (accessKeyId == null ? "unset" : "***")
                + ", secretAccessKey=" + (secretAccessKey == null ? "unset" : "***") + "]";
    }

    static Optional<String> string(Config config, String key) {
        return config.getOptionalValue(key, String.class).map(String::trim).filter(v -> !v.isEmpty());
    }

    static String required(Config config, String key) {
        return string(config, key).orElseThrow(() -> new IllegalArgumentException(key + " is not set"));
    }

    static List<String> commaList(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    static Duration duration(String key, String value) {
        try {
            Duration d = Duration.parse(value);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(key + " is '" + value + "': it must be positive");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(key + " is '" + value + "': expected an ISO-8601 duration such as PT30S");
        }
    }

    static int positiveInt(String key, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is '" + value + "': expected a positive whole number");
        }
    }

    static long positiveLong(String key, String value) {
        try {
            long n = Long.parseLong(value);
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is '" + value + "': expected a positive whole number");
        }
    }

    private static double rating(Config config, String key) {
        Optional<String> value = string(config, key);
        if (value.isEmpty()) {
            return DEFAULT_RATING;
        }
        try {
            double d = Double.parseDouble(value.get());
            if (d < 0 || d > 1 || Double.isNaN(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is '" + value.get() + "': expected a number from 0 to 1");
        }
    }
}
