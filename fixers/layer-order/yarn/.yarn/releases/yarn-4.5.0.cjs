// yarn
