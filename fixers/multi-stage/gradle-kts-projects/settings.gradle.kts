rootProject.name = "shop"
// includeBuild("../tools") is not a project of this build
include(":app")
