// Entry of /js/script.vitals.js: the base tracker, then the web-vitals extension, in one file.
import './script';
import './vitals';
