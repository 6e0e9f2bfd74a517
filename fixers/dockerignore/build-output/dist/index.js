console.log("old build");
