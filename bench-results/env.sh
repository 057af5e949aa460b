SPARK_OPTS="-XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector \
  $(for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util \
      java.util.concurrent java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs \
      sun.security.action sun.util.calendar; do printf -- '--add-opens=java.base/%s=ALL-UNNAMED ' $p; done) \
  --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED \
  -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true"
CP='als-bench-spark/target/als-bench-spark.jar:als-bench-spark/target/lib/*'
export SPARK_LOCAL_IP=127.0.0.1
