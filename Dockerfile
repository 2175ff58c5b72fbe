# syntax=docker/dockerfile:1
# One Dockerfile for every service: docker build --build-arg SERVICE=gateway-service .
# (docker-compose.yml passes the argument). Builds from source, then runs on a JRE as an unprivileged user.

FROM eclipse-temurin:17-jdk AS build
ARG SERVICE
WORKDIR /src
# Only the three services can be built into an image: the local launcher (with its development token issuer) never.
RUN case "${SERVICE}" in \
      message-service|presence-service|gateway-service) ;; \
      *) echo "SERVICE must be message-service, presence-service or gateway-service, not '${SERVICE}'" >&2; exit 1 ;; \
    esac
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -pl "${SERVICE}" -am package -Dmaven.test.skip=true -Dspotless.check.skip=true \
    && cp "${SERVICE}"/target/"${SERVICE}"-*-exec.jar /app.jar \
    && java -Djarmode=tools -jar /app.jar extract --layers --destination /layers

# Java 17 bytecode on a Java 25 runtime, for its AOT cache (below).
FROM eclipse-temurin:25-jre
RUN groupadd --system --gid 10001 chat && useradd --system --uid 10001 --gid chat chat
WORKDIR /app
# Least-changing layers first, so a code change rebuilds only the last one. Extracted as app.jar plus lib/ (no
# launcher): the AOT cache holds only classes loaded from a plain class path.
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
# Size the heap from the container's memory limit, and leave class unloading out of G1's remark pause, which a
# delivery waits on; with that, metaspace reaching its first threshold (21 MB by default) would be a full collection,
# three or four in every start, so the threshold is set above what a service loads (docs/gateway-service.md, "The heap
# and GC pauses"); objects with 8-byte headers instead of 12 (Java 25's compact object headers, JEP 519): a tenth
# less heap for an idle connection, at the same CPU per delivery (the same section); structured JSON logs for the log
# pipeline.
# The Tier4 thresholds leave code that runs once per connection or request to the quick compiler until it has run
# 50,000 times, so a restart's reconnect storm is not spent compiling it; compile-commands.txt gives the code that runs
# once per message the JVM's own thresholds back where that is most of a service's work (each service's file in
# infra/jvm/ says whether it is; docs/gateway-service.md, "The JIT and connection storms").
ARG SERVICE
COPY infra/jvm/${SERVICE}.compile-commands ./compile-commands.txt
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70 -XX:-ClassUnloadingWithConcurrentMark -XX:MetaspaceSize=160m -XX:+ExitOnOutOfMemoryError -XX:+UseCompactObjectHeaders -XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=20000 -XX:Tier4CompileThreshold=60000 -XX:CompileCommandFile=/app/compile-commands.txt" \
    LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs
# The AOT cache (JEP 483 and 514): a training run creates the application context and exits before anything starts
# (spring.context.exit=onRefresh), and the JVM stores the classes it loaded and linked. Started with the cache, a
# service needs a third to a half less CPU and about half the time to start (docs/gateway-service.md, "Start-up and
# the AOT cache"), which shortens a restart's reconnect storm. It runs after the ENV above, so the cache is made with
# the options it is used with; -Xmx1g stands for any heap under 32 GB, whose compressed pointers the cache records.
# The addresses are unreachable on purpose: nothing connects during the run, and Flyway and topic creation, which
# would, are off for it alone.
RUN if ! SPRING_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9 CHAT_KAFKA_TOPICS_CREATE=false \
        SPRING_DATA_REDIS_HOST=127.0.0.1 SPRING_DATA_REDIS_PORT=9 \
        SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:9/training SPRING_FLYWAY_ENABLED=false \
        CHAT_SECURITY_JWT_SECRET=aot-training-run-only-never-used-to-sign-anything-00000000 \
        java -Xmx1g -XX:AOTCacheOutput=app.aot -Dspring.context.exit=onRefresh -jar app.jar > /tmp/aot-training.log 2>&1 \
        || ! test -s app.aot; then cat /tmp/aot-training.log; exit 1; fi; rm /tmp/aot-training.log
USER 10001
# A cache that does not match (another JDK build, a changed class path) is reported and ignored: the service starts
# as it would without one.
ENTRYPOINT ["java", "-XX:AOTCache=app.aot", "-jar", "app.jar"]
