# One image per service: docker build --build-arg MODULE=gateway -t seckill/gateway:0.1.0 .
# (after `mvn -DskipTests package`; k8s/ expects seckill/<module>:0.1.0).
FROM eclipse-temurin:17-jre
ARG MODULE
RUN useradd --system --uid 10001 seckill
COPY ${MODULE}/target/${MODULE}.jar /app/service.jar
USER 10001
ENTRYPOINT ["java", "-jar", "/app/service.jar"]
