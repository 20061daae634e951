// What the Java snippets of docs/utils.md leave out: the imports they need.
// Each snippet compiles as the body of a method.

import io.dyno.utils.*;
import java.util.*;
