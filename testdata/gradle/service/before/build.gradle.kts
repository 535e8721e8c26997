plugins {
    kotlin("jvm") version libs.versions.kotlin
    id("io.gitlab.arturbosch.detekt")
}

dependencyLocking {
    lockAllConfigurations()
}

dependencies {
    implementation(libs.guava)
    implementation(libs.jackson.core)
    runtimeOnly(libs.logback.classic)
    testImplementation(libs.bundles.kotest)
}
