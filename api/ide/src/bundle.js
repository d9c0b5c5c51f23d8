import './workers.js';
import 'graphiql/style.css';
import './app.js';
