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
    && java -Djarmode=tools -jar "${SERVICE}"/target/"${SERVICE}"-*-exec.jar extract --layers --launcher --destination /layers

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 chat && useradd --system --uid 10001 --gid chat chat
WORKDIR /app
# Least-changing layers first, so a code change rebuilds only the last one.
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
USER 10001
# Size the heap from the container's memory limit, and leave class unloading out of G1's remark pause, which a
# delivery waits on (docs/gateway-service.md, "The heap and GC pauses"); structured JSON logs for the log pipeline.
# The Tier4 thresholds leave code that runs once per connection or request to the quick compiler until it has run
# 50,000 times, so a restart's reconnect storm is not spent compiling it (docs/gateway-service.md, "The JIT and
# connection storms").
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70 -XX:-ClassUnloadingWithConcurrentMark -XX:+ExitOnOutOfMemoryError -XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=20000 -XX:Tier4CompileThreshold=60000" \
    LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
