import 'uplot/dist/uPlot.min.css';
import './styles.css';
import './data.css';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { session, whenUnauthorized } from './api';
import { Layout } from './layout';
import { Pages } from './pages';
import { SignIn } from './sign-in';

function App() {
  const [signedIn, setSignedIn] = useState(Boolean(session.key()));
  const [reason, setReason] = useState<string>();

  useEffect(() => {
    whenUnauthorized((message) => {
      session.signOut();
      setReason(message);
      setSignedIn(false);
    });
  }, []);

  if (!signedIn) {
    return (
      <SignIn
        reason={reason}
        onSignedIn={() => {
          setReason(undefined);
          setSignedIn(true);
        }}
      />
    );
  }
  return (
    <Layout
      onSignOut={() => {
        session.signOut();
        setSignedIn(false);
      }}
    >
      <Pages />
    </Layout>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);
